namespace Veeky.Search;

/// <summary>
/// Holds <see cref="SqliteSearchIndex"/>'s start-up load of its vectors until <see cref="Open"/> is called. Registered
/// only by tests, which need a host whose vectors are still loading without depending on how long a large load takes;
/// without one the load starts at once.
/// </summary>
public sealed class VectorLoadGate
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the load run.</summary>
    public void Open() => _opened.TrySetResult();

    /// <summary>Completes when <see cref="Open"/> has been called.</summary>
    public Task WaitAsync(CancellationToken ct) => _opened.Task.WaitAsync(ct);
}
