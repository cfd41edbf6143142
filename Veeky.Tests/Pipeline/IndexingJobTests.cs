using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Indexer.Pipeline;
using Veeky.Jobs;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>How indexing jobs survive dying workers, failing stages and videos deleted under them. The worker is driven
/// one job at a time and the clock moved by hand, so leases and backoffs expire without waiting.</summary>
public sealed class IndexingJobTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static void RequireTools() =>
        Requires.Tools([.. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);

    [Fact]
    public async Task A_worker_killed_after_scene_detection_leaves_a_job_that_resumes_without_redoing_finished_stages()
    {
        RequireTools();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await IndexerHost.CreateAsync(clock);
        var videoId = await host.AddVideoAsync(await SampleVideos.ScenesPathAsync());
        var ct = TestContext.Current.CancellationToken;

        // The first worker dies as keyframe extraction begins: no failure is recorded, its lease simply stays.
        using var death = new CancellationTokenSource();
        host.Recorder.Before[VideoStage.ExtractingKeyframes] = async (_, _) =>
        {
            host.Recorder.Before.TryRemove(VideoStage.ExtractingKeyframes, out _);
            await death.CancelAsync();
            death.Token.ThrowIfCancellationRequested();
        };
        var first = await host.Queue.TryClaimAsync("doomed-worker", Lease, ct);
        Assert.NotNull(first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            host.Services.GetRequiredService<PipelineRunner>().RunAsync(first, "doomed-worker", death.Token));
        var checkpointed = (await host.LoadJobAsync(videoId))!.GetCompletedStages();
        Assert.Contains(VideoStage.Probing, checkpointed);
        Assert.Contains(VideoStage.DetectingScenes, checkpointed);
        Assert.DoesNotContain(VideoStage.ExtractingKeyframes, checkpointed);

        // The rescuer may run on another machine, without the frames the scene pass left in the work folder.
        Directory.Delete(host.Media.WorkFolder(videoId), recursive: true);

        // While the lease holds nobody else may take the job; once it runs out, another worker does.
        Assert.Null(await host.Queue.TryClaimAsync("rescuer", Lease, ct));
        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var second = await host.Queue.TryClaimAsync("rescuer", Lease, ct);
        Assert.NotNull(second);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(2, second.Attempts);
        await host.Worker.RunJobAsync(second, "rescuer", ct);

        var video = await host.LoadVideoAsync(videoId);
        Assert.Equal(VideoStatus.Completed, video!.Status);
        Assert.Equal(SampleVideos.Scenes.Scenes.Count, video.Segments.Count);
        Assert.All(video.Segments, s => Assert.True(host.Media.Exists(s.KeyframePath!)));
        foreach (var stage in checkpointed)
        {
            Assert.Equal(1, host.Recorder.Runs(stage));
        }
        Assert.Equal(2, host.Recorder.Runs(VideoStage.ExtractingKeyframes));
        Assert.Equal(1, host.Recorder.Runs(VideoStage.Indexing));
        Assert.Equal(JobStatus.Succeeded, (await host.LoadJobAsync(videoId))!.Status);
    }

    [Fact]
    public async Task A_stage_that_fails_three_times_leaves_the_video_failed_with_the_reason()
    {
        Requires.Tools(SampleVideoGenerator.Tools);
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await IndexerHost.CreateAsync(clock);
        var videoId = await host.AddVideoAsync(await SampleVideos.ScenesPathAsync());
        var ct = TestContext.Current.CancellationToken;
        host.Recorder.Before[VideoStage.DetectingScenes] = (_, _) => throw new InvalidOperationException("The scene detector exploded.");

        for (var attempt = 1; attempt <= SqlJobQueue.MaxAttempts; attempt++)
        {
            var job = await host.Queue.TryClaimAsync("worker", Lease, ct);
            Assert.NotNull(job);
            Assert.Equal(attempt, job.Attempts);
            await host.Worker.RunJobAsync(job, "worker", ct);

            var video = await host.LoadVideoAsync(videoId);
            if (attempt < SqlJobQueue.MaxAttempts)
            {
                // Retried after a backoff: not claimable at once, and the video is still in progress.
                Assert.Equal(VideoStatus.Processing, video!.Status);
                Assert.Null(await host.Queue.TryClaimAsync("worker", Lease, ct));
                clock.Advance(SqlJobQueue.Backoff(attempt) + TimeSpan.FromSeconds(1));
            }
        }

        var failed = await host.LoadVideoAsync(videoId);
        Assert.Equal(VideoStatus.Failed, failed!.Status);
        Assert.Contains("scene detector exploded", failed.Error);
        Assert.Equal(JobStatus.Failed, (await host.LoadJobAsync(videoId))!.Status);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await host.Queue.TryClaimAsync("worker", Lease, ct));
        Assert.Equal(SqlJobQueue.MaxAttempts, host.Recorder.Runs(VideoStage.DetectingScenes));
    }

    [Fact]
    public async Task A_video_deleted_while_indexing_stops_the_job_cleanly_and_leaves_nothing_behind()
    {
        RequireTools();
        await using var host = await IndexerHost.CreateAsync();
        var videoId = await host.AddVideoAsync(await SampleVideos.ScenesPathAsync());
        var ct = TestContext.Current.CancellationToken;

        // Deleted the way the API deletes: the row (segments and jobs go with it) and the media folder.
        host.Recorder.Before[VideoStage.ExtractingKeyframes] = async (_, token) =>
        {
            await using var db = host.OpenDb();
            await db.Videos.Where(v => v.Id == videoId).ExecuteDeleteAsync(token);
            await host.Media.DeleteVideoAsync(videoId, token);
        };
        var job = await host.Queue.TryClaimAsync("worker", Lease, ct);
        Assert.NotNull(job);

        await host.Worker.RunJobAsync(job, "worker", ct); // returns quietly: no exception escapes

        await using var check = host.OpenDb();
        Assert.False(await check.Videos.AnyAsync(v => v.Id == videoId, ct));
        Assert.False(await check.Segments.AnyAsync(s => s.VideoId == videoId, ct));
        Assert.False(await check.Jobs.AnyAsync(j => j.VideoId == videoId, ct));
        Assert.False(Directory.Exists(Path.GetDirectoryName(host.Media.GetFullPath(host.Media.ThumbnailPath(videoId)))),
            "the video's media folder was left behind");
        Assert.Equal(0, host.Recorder.Runs(VideoStage.Indexing));
    }

    [Fact]
    public async Task Shutdown_gives_the_running_job_back_without_counting_an_attempt()
    {
        RequireTools();
        await using var host = await IndexerHost.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        var detecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Recorder.Before[VideoStage.DetectingScenes] = async (_, token) =>
        {
            detecting.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
        };
        await host.StartAsync();
        var videoId = await host.AddVideoAsync(await SampleVideos.ScenesPathAsync());
        await detecting.Task.WaitAsync(TimeSpan.FromMinutes(2), ct);

        await host.StopAsync();

        var job = await host.LoadJobAsync(videoId);
        Assert.Equal(JobStatus.Queued, job!.Status);
        Assert.Equal(0, job.Attempts);
        Assert.Null(job.LeaseOwner);
        Assert.Contains(VideoStage.Probing, job.GetCompletedStages());
        Assert.DoesNotContain(VideoStage.DetectingScenes, job.GetCompletedStages());
        Assert.Equal(VideoStatus.Processing, (await host.LoadVideoAsync(videoId))!.Status);
    }

    [Fact]
    public async Task A_reindex_while_indexing_stops_the_old_job_and_the_new_one_starts_from_scratch()
    {
        RequireTools();
        await using var host = await IndexerHost.CreateAsync();
        var videoId = await host.AddVideoAsync(await SampleVideos.ScenesPathAsync());
        var ct = TestContext.Current.CancellationToken;
        host.Recorder.Before[VideoStage.ExtractingKeyframes] = async (_, token) =>
        {
            host.Recorder.Before.Clear();
            await using var db = host.OpenDb();
            await host.Queue.EnqueueAsync(db, videoId, token); // what the reindex endpoint does
            await db.SaveChangesAsync(token);
        };
        var old = await host.Queue.TryClaimAsync("worker", Lease, ct);

        await host.Worker.RunJobAsync(old!, "worker", ct); // stops at its next checkpoint, quietly

        var replacement = await host.Queue.TryClaimAsync("worker", Lease, ct);
        Assert.NotNull(replacement);
        Assert.NotEqual(old!.Id, replacement.Id);
        Assert.Empty(replacement.GetCompletedStages());
        await host.Worker.RunJobAsync(replacement, "worker", ct);

        await using var check = host.OpenDb();
        var jobs = await check.Jobs.Where(j => j.VideoId == videoId).ToDictionaryAsync(j => j.Id, j => j.Status, ct);
        Assert.Equal(JobStatus.Cancelled, jobs[old.Id]);
        Assert.Equal(JobStatus.Succeeded, jobs[replacement.Id]);
        Assert.Equal(VideoStatus.Completed, (await host.LoadVideoAsync(videoId))!.Status);
        Assert.Equal(2, host.Recorder.Runs(VideoStage.DetectingScenes));
        Assert.Equal(1, host.Recorder.Runs(VideoStage.Indexing));
    }
}
