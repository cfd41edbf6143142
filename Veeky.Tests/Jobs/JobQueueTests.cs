using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Veeky.Data;
using Veeky.Jobs;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Jobs;

/// <summary>The durable job queue's rules, run against each provider.</summary>
public abstract class JobQueueTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    protected abstract Task<DatabaseProvider> CreateDatabaseAsync();

    private async Task<(DatabaseProvider Provider, SqlJobQueue Queue, ManualTimeProvider Clock)> CreateQueueAsync()
    {
        var provider = await CreateDatabaseAsync();
        await TestDatabase.Migrator(provider).MigrateAsync(TestContext.Current.CancellationToken);
        var clock = new ManualTimeProvider();
        return (provider, new SqlJobQueue(provider.CreateContextFactory(), clock), clock);
    }

    private static async Task<IndexingJob> EnqueueAsync(DatabaseProvider provider, SqlJobQueue queue, Guid? videoId = null)
    {
        var id = videoId ?? await TestDatabase.SeedVideoAsync(provider);
        await using var db = new VeekyDbContext(provider.CreateOptions());
        var job = await queue.EnqueueAsync(db, id);
        await db.SaveChangesAsync();
        return job;
    }

    private static async Task<IndexingJob> LoadAsync(DatabaseProvider provider, Guid jobId)
    {
        await using var db = new VeekyDbContext(provider.CreateOptions());
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == jobId);
    }

    [Fact]
    public async Task Claim_finds_nothing_in_an_empty_queue()
    {
        var (_, queue, _) = await CreateQueueAsync();
        Assert.Null(await queue.TryClaimAsync("w1", Lease, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_claimed_job_is_not_claimed_again_while_its_lease_holds()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var job = await EnqueueAsync(provider, queue);

        var claimed = await queue.TryClaimAsync("w1", Lease);
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.NotNull(claimed);
        Assert.Equal(job.Id, claimed.Id);
        Assert.Equal(JobStatus.Running, claimed.Status);
        Assert.Equal(1, claimed.Attempts);
        Assert.Equal("w1", claimed.LeaseOwner);
        Assert.Null(await queue.TryClaimAsync("w2", Lease));
    }

    [Fact]
    public async Task An_expired_lease_lets_another_worker_resume_after_the_checkpointed_stages()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var job = await EnqueueAsync(provider, queue);
        await queue.TryClaimAsync("dead-worker", Lease);
        await queue.CheckpointAsync(job.Id, "dead-worker", VideoStage.Probing);
        await queue.CheckpointAsync(job.Id, "dead-worker", VideoStage.DetectingScenes);

        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var resumed = await queue.TryClaimAsync("w2", Lease);

        Assert.NotNull(resumed);
        Assert.Equal(job.Id, resumed.Id);
        Assert.Equal(2, resumed.Attempts);
        Assert.Equal(new HashSet<VideoStage> { VideoStage.Probing, VideoStage.DetectingScenes }, resumed.GetCompletedStages());
        Assert.False(await queue.RenewLeaseAsync(job.Id, "dead-worker", Lease), "the dead worker's lease must be gone");
        await Assert.ThrowsAsync<JobLostException>(() => queue.CheckpointAsync(job.Id, "dead-worker", VideoStage.ExtractingKeyframes));
    }

    [Fact]
    public async Task A_renewed_lease_keeps_the_job()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var job = await EnqueueAsync(provider, queue);
        await queue.TryClaimAsync("w1", Lease);

        clock.Advance(TimeSpan.FromMinutes(1.5));
        Assert.True(await queue.RenewLeaseAsync(job.Id, "w1", Lease));
        clock.Advance(TimeSpan.FromMinutes(1.5));

        Assert.Null(await queue.TryClaimAsync("w2", Lease));
    }

    [Fact]
    public async Task A_failing_job_is_retried_after_a_backoff_and_fails_for_good_after_three_attempts()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var job = await EnqueueAsync(provider, queue);

        for (var attempt = 1; attempt <= SqlJobQueue.MaxAttempts; attempt++)
        {
            var claimed = await queue.TryClaimAsync("w1", Lease);
            Assert.NotNull(claimed);
            Assert.Equal(attempt, claimed.Attempts);
            var retried = await queue.FailAsync(job.Id, "w1", $"boom {attempt}");
            Assert.Equal(attempt < SqlJobQueue.MaxAttempts, retried);
            Assert.Null(await queue.TryClaimAsync("w1", Lease)); // not before the backoff
            clock.Advance(SqlJobQueue.Backoff(attempt) + TimeSpan.FromSeconds(1));
        }

        var failed = await LoadAsync(provider, job.Id);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal("boom 3", failed.Error);
        Assert.Null(await queue.TryClaimAsync("w1", Lease));
    }

    [Fact]
    public async Task Enqueueing_again_cancels_the_unfinished_job_of_the_same_video()
    {
        var (provider, queue, _) = await CreateQueueAsync();
        var first = await EnqueueAsync(provider, queue);
        await queue.TryClaimAsync("w1", Lease);

        var second = await EnqueueAsync(provider, queue, first.VideoId);

        Assert.Equal(JobStatus.Cancelled, (await LoadAsync(provider, first.Id)).Status);
        Assert.False(await queue.RenewLeaseAsync(first.Id, "w1", Lease));
        Assert.Equal(second.Id, (await queue.TryClaimAsync("w2", Lease))?.Id);
    }

    [Fact]
    public async Task A_released_job_is_claimable_at_once_without_counting_an_attempt()
    {
        var (provider, queue, _) = await CreateQueueAsync();
        var job = await EnqueueAsync(provider, queue);
        await queue.TryClaimAsync("w1", Lease);

        await queue.ReleaseAsync(job.Id, "w1");
        var again = await queue.TryClaimAsync("w2", Lease);

        Assert.Equal(1, again?.Attempts);
    }

    [Fact]
    public async Task A_completed_job_is_never_claimed_again()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var job = await EnqueueAsync(provider, queue);
        await queue.TryClaimAsync("w1", Lease);

        await queue.CompleteAsync(job.Id, "w1");
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(JobStatus.Succeeded, (await LoadAsync(provider, job.Id)).Status);
        Assert.Null(await queue.TryClaimAsync("w2", Lease));
    }

    [Fact]
    public async Task A_restarted_process_takes_back_at_once_what_its_dead_predecessor_on_this_host_held_but_not_a_live_replicas_jobs()
    {
        var (provider, queue, _) = await CreateQueueAsync();
        var me = WorkerIdentity.Current;
        using var liveReplica = System.Diagnostics.Process.Start("sleep", "60");
        var deadProcessId = DeadProcessId();
        var crashed = await ClaimAsAsync(provider, queue, $"{me.Host}/{deadProcessId}/0badc0de/0");
        var crashedInThisProcessId = await ClaimAsAsync(provider, queue, $"{me.Host}/{me.ProcessId}/5ca1ab1e/1"); // a container's process 1 again
        var live = await ClaimAsAsync(provider, queue, $"{me.Host}/{liveReplica.Id}/a11ve000/0");
        var elsewhere = await ClaimAsAsync(provider, queue, $"another-host/{deadProcessId}/0badc0de/0");

        try
        {
            var reclaimed = await queue.ReclaimAsync(me.IsDeadPredecessor);

            Assert.Equal(2, reclaimed);
            var first = await queue.TryClaimAsync(me.Worker(0), Lease);
            var second = await queue.TryClaimAsync(me.Worker(0), Lease);
            Assert.Equal(new[] { crashed.Id, crashedInThisProcessId.Id }.Order(), new[] { first!.Id, second!.Id }.Order());
            Assert.Equal(2, first.Attempts); // the crashed attempt counts, as for any worker that died
            Assert.Null(await queue.TryClaimAsync(me.Worker(0), Lease));
            Assert.Equal($"{me.Host}/{liveReplica.Id}/a11ve000/0", (await LoadAsync(provider, live.Id)).LeaseOwner);
            Assert.Equal($"another-host/{deadProcessId}/0badc0de/0", (await LoadAsync(provider, elsewhere.Id)).LeaseOwner);
        }
        finally
        {
            liveReplica.Kill();
        }
    }

    /// <summary>A job claimed by <paramref name="owner"/>: the only runnable one at that moment.</summary>
    private static async Task<IndexingJob> ClaimAsAsync(DatabaseProvider provider, SqlJobQueue queue, string owner)
    {
        var job = await EnqueueAsync(provider, queue);
        var claimed = await queue.TryClaimAsync(owner, Lease);
        Assert.Equal(job.Id, claimed?.Id);
        return claimed!;
    }

    /// <summary>The id of a process that has just ended.</summary>
    private static int DeadProcessId()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public async Task Concurrent_workers_never_claim_the_same_job()
    {
        var (provider, queue, _) = await CreateQueueAsync();
        const int jobCount = 20;
        for (var i = 0; i < jobCount; i++)
        {
            await EnqueueAsync(provider, queue);
        }

        var claims = new ConcurrentBag<(string Worker, Guid Job)>();
        var workers = Enumerable.Range(1, 4).Select(w => Task.Run(async () =>
        {
            while (await queue.TryClaimAsync($"w{w}", Lease) is { } job)
            {
                claims.Add(($"w{w}", job.Id));
            }
        }));
        await Task.WhenAll(workers);

        Assert.Equal(jobCount, claims.Count);
        Assert.Equal(jobCount, claims.Select(c => c.Job).Distinct().Count());
    }
}

public sealed class SqliteJobQueueTests : JobQueueTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override Task<DatabaseProvider> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite(_folder));

    public void Dispose() => _folder.Dispose();
}

public sealed class PostgresJobQueueTests(PostgresServer server) : JobQueueTests
{
    protected override Task<DatabaseProvider> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);
}
