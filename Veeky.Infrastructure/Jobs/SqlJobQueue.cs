using Microsoft.EntityFrameworkCore;
using Veeky.Data;
using Veeky.Videos;

namespace Veeky.Jobs;

/// <summary>
/// The job queue as a table in the metadata database. Claiming is the one lease claim (<see cref="LeaseClaims"/>): an
/// atomic UPDATE that PostgreSQL runs with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent workers never wait on or share a job.
/// </summary>
public sealed class SqlJobQueue(IDbContextFactory<VeekyDbContext> contexts, TimeProvider clock) : IJobQueue
{
    /// <summary>Attempts before a job fails for good.</summary>
    public const int MaxAttempts = 3;

    public async Task<IndexingJob> EnqueueAsync(IJobStore db, Guid videoId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var unfinished = await db.UnfinishedJobsAsync(videoId, ct);
        foreach (var old in unfinished)
        {
            // A running worker notices at its next lease renewal or checkpoint and stops.
            old.Status = JobStatus.Cancelled;
            old.LeaseOwner = null;
            old.LeaseExpiresAt = null;
            old.UpdatedAt = now;
        }
        var job = new IndexingJob
        {
            Id = Guid.CreateVersion7(),
            VideoId = videoId,
            RunAfter = now,
            CreatedAt = now,
            UpdatedAt = now,
            TraceParent = System.Diagnostics.Activity.Current?.Id,
        };
        db.AddJob(job);
        return job;
    }

    public async Task<IndexingJob?> TryClaimAsync(string workerId, TimeSpan lease, CancellationToken ct = default)
    {
        await using var db = CreateContext();
        var now = clock.GetUtcNow();
        return await db.ClaimAsync<IndexingJob>(DueJobs, workerId, now, now + lease, ct);
    }

    /// <summary>A queued job whose time has come, or a running one whose worker's lease ran out; the oldest first.</summary>
    private static readonly LeaseClaim DueJobs = new(
        Due: """("Status" = @queued AND "RunAfter" <= @now) OR ("Status" = @running AND "LeaseExpiresAt" < @now)""",
        OrderBy: "\"RunAfter\", \"CreatedAt\"",
        Values: new Dictionary<string, object> { ["queued"] = nameof(JobStatus.Queued), ["running"] = nameof(JobStatus.Running) },
        AlsoSet: "\"Status\" = @running");

    public async Task<bool> RenewLeaseAsync(Guid jobId, string workerId, TimeSpan lease, CancellationToken ct = default)
    {
        await using var db = CreateContext();
        var now = clock.GetUtcNow();
        var updated = await Owned(db, jobId, workerId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, now + lease).SetProperty(j => j.UpdatedAt, now), ct);
        return updated == 1;
    }

    public async Task CheckpointAsync(Guid jobId, string workerId, VideoStage stage, CancellationToken ct = default)
    {
        await using var db = CreateContext();
        var job = await Owned(db, jobId, workerId).FirstOrDefaultAsync(ct) ?? throw new JobLostException(jobId);
        var stages = job.GetCompletedStages().Append(stage).Distinct().Order();
        job.CompletedStages = string.Join(',', stages);
        job.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
    }

    public async Task CompleteAsync(Guid jobId, string workerId, CancellationToken ct = default)
    {
        await using var db = CreateContext();
        var now = clock.GetUtcNow();
        await Owned(db, jobId, workerId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, JobStatus.Succeeded)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null)
            .SetProperty(j => j.Error, (string?)null)
            .SetProperty(j => j.UpdatedAt, now), ct);
    }

    public async Task<bool> FailAsync(Guid jobId, string workerId, string error, CancellationToken ct = default)
    {
        await using var db = CreateContext();
        var job = await Owned(db, jobId, workerId).FirstOrDefaultAsync(ct);
        if (job is null)
        {
            return false;
        }
        var now = clock.GetUtcNow();
        var retry = job.Attempts < MaxAttempts;
        job.Status = retry ? JobStatus.Queued : JobStatus.Failed;
        job.RunAfter = now + Backoff(job.Attempts);
        job.LeaseOwner = null;
        job.LeaseExpiresAt = null;
        job.Error = error;
        job.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return retry;
    }

    public async Task ReleaseAsync(Guid jobId, string workerId, CancellationToken ct = default)
    {
        await using var db = CreateContext();
        var now = clock.GetUtcNow();
        await Owned(db, jobId, workerId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, JobStatus.Queued)
            .SetProperty(j => j.Attempts, j => j.Attempts - 1)
            .SetProperty(j => j.RunAfter, now)
            .SetProperty(j => j.LeaseOwner, (string?)null)
            .SetProperty(j => j.LeaseExpiresAt, (DateTimeOffset?)null)
            .SetProperty(j => j.UpdatedAt, now), ct);
    }

    public async Task<int> ReclaimAsync(Func<string, bool> isDeadOwner, CancellationToken ct = default)
    {
        await using var db = CreateContext();
        var owners = await db.Jobs.Where(j => j.Status == JobStatus.Running && j.LeaseOwner != null)
            .Select(j => j.LeaseOwner!).Distinct().ToListAsync(ct);
        var dead = owners.Where(isDeadOwner).ToList();
        if (dead.Count == 0)
        {
            return 0;
        }
        // Expired a moment ago: the next claim takes it like any job whose lease ran out. Only a row still running under
        // the same owner is touched, so a job that finished or moved on meanwhile is left alone.
        var now = clock.GetUtcNow();
        return await db.Jobs.Where(j => j.Status == JobStatus.Running && dead.Contains(j.LeaseOwner!))
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseExpiresAt, now - TimeSpan.FromMilliseconds(1))
                .SetProperty(j => j.UpdatedAt, now), ct);
    }

    /// <summary>Backoff before attempt n+1: 10 s, 40 s, 90 s: long enough for a restarted dependency to come back.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(10 * attempts * attempts);

    private static IQueryable<IndexingJob> Owned(VeekyDbContext db, Guid jobId, string workerId) =>
        db.Jobs.HeldBy(jobId, workerId);

    private VeekyDbContext CreateContext() => contexts.CreateDbContext();
}

/// <summary>The job was cancelled, deleted or taken over by another worker while this one ran it.</summary>
public sealed class JobLostException(Guid jobId) : Exception($"Job {jobId} is no longer held by this worker.")
{
    public Guid JobId { get; } = jobId;
}
