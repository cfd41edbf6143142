namespace Veeky.Tests.Pipeline;

/// <summary>A clock the test moves by hand, for lease expiry and retry backoff without waiting.</summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
