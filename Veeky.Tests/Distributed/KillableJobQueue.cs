using Veeky.Jobs;
using Veeky.Videos;

namespace Veeky.Tests.Distributed;

/// <summary>
/// The real job queue of one worker until <see cref="Kill"/>; from then on the worker behaves as a killed process seen
/// from the database: it claims, renews, checkpoints, completes and releases nothing, so its job is only recovered
/// when the lease runs out. Calls that would wait on a dead process (claims, checkpoints) hang until shutdown.
/// </summary>
public sealed class KillableJobQueue(IJobQueue inner) : IJobQueue
{
    private volatile bool _killed;

    public bool IsKilled => _killed;

    public void Kill() => _killed = true;

    public Task<IndexingJob> EnqueueAsync(IJobStore db, Guid videoId, CancellationToken ct = default) =>
        inner.EnqueueAsync(db, videoId, ct);

    public async Task<IndexingJob?> TryClaimAsync(string workerId, TimeSpan lease, CancellationToken ct = default)
    {
        if (_killed)
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        return await inner.TryClaimAsync(workerId, lease, ct);
    }

    public Task<bool> RenewLeaseAsync(Guid jobId, string workerId, TimeSpan lease, CancellationToken ct = default) =>
        _killed ? throw new InvalidOperationException("The worker is dead.") : inner.RenewLeaseAsync(jobId, workerId, lease, ct);

    public async Task CheckpointAsync(Guid jobId, string workerId, VideoStage stage, CancellationToken ct = default)
    {
        if (_killed)
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        await inner.CheckpointAsync(jobId, workerId, stage, ct);
    }

    public Task CompleteAsync(Guid jobId, string workerId, CancellationToken ct = default) =>
        _killed ? Task.CompletedTask : inner.CompleteAsync(jobId, workerId, ct);

    public Task<bool> FailAsync(Guid jobId, string workerId, string error, CancellationToken ct = default) =>
        _killed ? Task.FromResult(false) : inner.FailAsync(jobId, workerId, error, ct);

    public Task ReleaseAsync(Guid jobId, string workerId, CancellationToken ct = default) =>
        _killed ? Task.CompletedTask : inner.ReleaseAsync(jobId, workerId, ct);

    public Task<int> ReclaimAsync(Func<string, bool> isDeadOwner, CancellationToken ct = default) =>
        _killed ? Task.FromResult(0) : inner.ReclaimAsync(isDeadOwner, ct);
}
