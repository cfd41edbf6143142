using Veeky.Jobs;
using Veeky.Videos;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// The real job queue with a gate in front of claims: while <see cref="Hold"/> is in force no worker picks up a job,
/// so a test can open a page before indexing starts (a fast machine would otherwise finish a short video first).
/// </summary>
public sealed class GatedJobQueue(IJobQueue inner) : IJobQueue
{
    private readonly object _lock = new();
    private TaskCompletionSource _open = Opened();

    /// <summary>Stops new claims until <see cref="Release"/> or the answer is disposed (so a failing test cannot leave
    /// the host's indexer stopped); a job already claimed runs on.</summary>
    public IDisposable Hold()
    {
        lock (_lock)
        {
            if (_open.Task.IsCompleted)
            {
                _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
        return new Releaser(this);
    }

    public void Release()
    {
        lock (_lock)
        {
            _open.TrySetResult();
        }
    }

    public Task<IndexingJob> EnqueueAsync(IJobStore db, Guid videoId, CancellationToken ct = default) =>
        inner.EnqueueAsync(db, videoId, ct);

    public async Task<IndexingJob?> TryClaimAsync(string workerId, TimeSpan lease, CancellationToken ct = default)
    {
        Task open;
        lock (_lock)
        {
            open = _open.Task;
        }
        await open.WaitAsync(ct);
        return await inner.TryClaimAsync(workerId, lease, ct);
    }

    public Task<bool> RenewLeaseAsync(Guid jobId, string workerId, TimeSpan lease, CancellationToken ct = default) =>
        inner.RenewLeaseAsync(jobId, workerId, lease, ct);

    public Task CheckpointAsync(Guid jobId, string workerId, VideoStage stage, CancellationToken ct = default) =>
        inner.CheckpointAsync(jobId, workerId, stage, ct);

    public Task CompleteAsync(Guid jobId, string workerId, CancellationToken ct = default) => inner.CompleteAsync(jobId, workerId, ct);

    public Task<bool> FailAsync(Guid jobId, string workerId, string error, CancellationToken ct = default) =>
        inner.FailAsync(jobId, workerId, error, ct);

    public Task ReleaseAsync(Guid jobId, string workerId, CancellationToken ct = default) => inner.ReleaseAsync(jobId, workerId, ct);

    public Task<int> ReclaimAsync(Func<string, bool> isDeadOwner, CancellationToken ct = default) => inner.ReclaimAsync(isDeadOwner, ct);

    private sealed class Releaser(GatedJobQueue queue) : IDisposable
    {
        public void Dispose() => queue.Release();
    }

    private static TaskCompletionSource Opened()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
