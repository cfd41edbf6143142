using Veeky.Videos;

namespace Veeky.Jobs;

/// <summary>The durable queue of indexing jobs, shared by every worker (in-process or <c>Veeky.Indexer</c> replicas).</summary>
public interface IJobQueue
{
    /// <summary>
    /// Adds a job for the video to the given unit of work (a database context) without saving, so the caller saves it in the same transaction
    /// as the video row. Any earlier unfinished job of that video is cancelled (a reindex supersedes it).
    /// </summary>
    Task<IndexingJob> EnqueueAsync(IJobStore db, Guid videoId, CancellationToken ct = default);

    /// <summary>
    /// Claims the oldest runnable job (queued and due, or running with an expired lease) for <paramref name="workerId"/>;
    /// null when there is none. Two workers never hold the same job.
    /// </summary>
    Task<IndexingJob?> TryClaimAsync(string workerId, TimeSpan lease, CancellationToken ct = default);

    /// <summary>Extends the lease; false when the job is no longer this worker's (cancelled, deleted or taken over).</summary>
    Task<bool> RenewLeaseAsync(Guid jobId, string workerId, TimeSpan lease, CancellationToken ct = default);

    /// <summary>Records a finished stage so a later attempt starts after it.</summary>
    Task CheckpointAsync(Guid jobId, string workerId, VideoStage stage, CancellationToken ct = default);

    Task CompleteAsync(Guid jobId, string workerId, CancellationToken ct = default);

    /// <summary>Records a failure: the job is queued again after a backoff, or fails for good after the last attempt.
    /// Returns true when it will be retried.</summary>
    Task<bool> FailAsync(Guid jobId, string workerId, string error, CancellationToken ct = default);

    /// <summary>Gives the job back without counting an attempt (graceful shutdown).</summary>
    Task ReleaseAsync(Guid jobId, string workerId, CancellationToken ct = default);

    /// <summary>Ends the leases of running jobs whose owner <paramref name="isDeadOwner"/> says died (a crashed earlier
    /// process of this host), so they are claimable at once instead of when their lease runs out; a claim then counts the
    /// attempt as it does for any worker that died. Returns how many jobs were reclaimed.</summary>
    Task<int> ReclaimAsync(Func<string, bool> isDeadOwner, CancellationToken ct = default);
}
