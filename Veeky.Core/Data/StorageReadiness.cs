namespace Veeky.Data;

/// <summary>
/// Whether the metadata database and search index are ready for use: the host listens (so <c>/alive</c> answers)
/// while <see cref="StorageInitializer"/> still waits for an unreachable database, and everything that needs the
/// storage (start-up work, the API, the indexer worker) asks here first instead of meeting a missing schema.
/// </summary>
public sealed class StorageReadiness
{
    private readonly TaskCompletionSource<bool> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the schema is up to date and the search index initialised.</summary>
    public bool IsReady => _settled.Task.IsCompletedSuccessfully && _settled.Task.Result;

    /// <summary>True when the storage can never become ready in this process (the host is stopping).</summary>
    public bool HasFailed => _settled.Task.IsCompletedSuccessfully && !_settled.Task.Result;

    /// <summary>Why the storage is not ready, in one sentence; null once it is.</summary>
    public string? Problem { get; private set; } = "The storage is being initialised.";

    public void Waiting(string problem) => Problem = problem;

    public void Ready()
    {
        Problem = null;
        _settled.TrySetResult(true);
    }

    public void Failed(string problem)
    {
        Problem = problem;
        _settled.TrySetResult(false);
    }

    /// <summary>Waits until the storage is ready (true) or has failed for good (false).</summary>
    public Task<bool> WaitAsync(CancellationToken ct) => _settled.Task.WaitAsync(ct);
}
