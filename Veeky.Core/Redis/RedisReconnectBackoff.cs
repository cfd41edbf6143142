namespace Veeky.Redis;

/// <summary>Delay before the next connection attempt: 100 ms after the first failure, doubling up to a ceiling, reset
/// by a success. Not thread-safe; its owner serialises connection attempts.</summary>
internal sealed class RedisReconnectBackoff(TimeSpan max)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);

    private TimeSpan _next = First;

    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, max.Ticks));
        return delay;
    }

    public void Reset() => _next = First;
}
