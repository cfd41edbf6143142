namespace Veeky.Jobs;

/// <summary>
/// Wakes idle in-process indexer workers as soon as a job is queued, so they need not wait for their next poll.
/// In the distributed edition nobody listens and <see cref="Notify"/> costs nothing; workers still poll the table.
/// </summary>
public sealed class JobSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes every worker currently waiting.</summary>
    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))
            .TrySetResult();

    /// <summary>Returns when notified or after <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            await Volatile.Read(ref _next).Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            // The poll interval passed without a signal: time to look at the table again.
        }
    }
}
