using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Jobs;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;
using Veeky.Tests.Pipeline;
using Veeky.Videos;

namespace Veeky.Tests.Distributed;

/// <summary>
/// Three indexer workers, each a host of its own, share one PostgreSQL queue and one media folder, as
/// <c>Veeky.Indexer</c> replicas do. One of them dies in the middle of a stage; its job must be taken over once the
/// lease runs out, and every video must still be indexed exactly once, never by two workers at the same time.
/// </summary>
public sealed class IndexerReplicaTests(PostgresServer postgres)
{
    private const int Videos = 20;

    /// <summary>Far above what indexing 20 two-second clips takes; only a hang reaches it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Three_workers_index_every_video_once_and_a_killed_workers_job_is_taken_over()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        if (postgres.UnavailableReason is { } reason)
        {
            Requires.Unavailable(reason);
        }
        using var media = new TempFolder("veeky-replicas");
        var clip = await GenerateClipAsync(media.File("clip.mp4"));
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:veeky"] = await postgres.CreateDatabaseAsync(),
            ["Veeky:DataDirectory"] = media.Path,
            // The shortest lease the options allow, renewed often, so the dead worker's job is free again soon.
            ["Veeky:Indexer:Lease"] = "00:00:05",
            ["Veeky:Indexer:LeaseRenewal"] = "00:00:01",
        };
        KillableJobQueue? doomedQueue = null;
        var hosts = new List<IndexerHost>
        {
            await IndexerHost.CreateAsync(settings: settings, services: services =>
            {
                services.AddSingleton<SqlJobQueue>();
                services.AddSingleton<IJobQueue>(sp => doomedQueue = new KillableJobQueue(sp.GetRequiredService<SqlJobQueue>()));
            }),
            await IndexerHost.CreateAsync(settings: settings),
            await IndexerHost.CreateAsync(settings: settings),
        };
        try
        {
            var doomed = hosts[0];
            var killedVideo = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
            long killedAt = 0;
            doomed.Recorder.Before[VideoStage.DetectingScenes] = async (context, ct) =>
            {
                if (killedVideo.TrySetResult(context.VideoId))
                {
                    killedAt = Stopwatch.GetTimestamp();
                    doomedQueue!.Kill();
                    // Frozen mid-stage like a killed process, until the host is disposed at the end of the test.
                    await Task.Delay(Timeout.Infinite, ct);
                }
            };

            // The doomed worker starts alone so it surely holds a job when it dies; the others join after.
            await doomed.StartAsync();
            var videoIds = new List<Guid>();
            for (var i = 0; i < Videos; i++)
            {
                videoIds.Add(await doomed.AddVideoAsync(clip, $"Clip {i}"));
            }
            var victim = await killedVideo.Task.WaitAsync(Patience, TestContext.Current.CancellationToken);
            await hosts[1].StartAsync();
            await hosts[2].StartAsync();
            await WaitUntilAllFinishedAsync(hosts[1], videoIds);

            await using var db = hosts[1].OpenDb();
            var videos = await db.Videos.AsNoTracking().Where(v => videoIds.Contains(v.Id)).ToListAsync(TestContext.Current.CancellationToken);
            var jobs = await db.Jobs.AsNoTracking().Where(j => videoIds.Contains(j.VideoId)).ToListAsync(TestContext.Current.CancellationToken);
            Assert.All(videos, v => Assert.Equal(VideoStatus.Completed, v.Status));
            Assert.Equal(Videos, videos.Count);
            Assert.Equal(Videos, jobs.Count);
            Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, j.Status));
            Assert.Equal(2, jobs.Single(j => j.VideoId == victim).Attempts);

            // Each run tagged with its worker; the dead worker's runs end when it died, whatever it did after.
            var runs = hosts.SelectMany((host, worker) => host.Recorder.History.Select(run =>
                    (Worker: worker, Run: worker == 0 && killedAt != 0 && run.Ended > killedAt ? run with { Ended = killedAt, Succeeded = false } : run)))
                .ToList();
            foreach (var id in videoIds)
            {
                var ofVideo = runs.Where(r => r.Run.VideoId == id).ToList();
                Assert.Equal(1, ofVideo.Count(r => r.Run.Stage == VideoStage.Indexing && r.Run.Succeeded));
                foreach (var a in ofVideo)
                {
                    Assert.DoesNotContain(ofVideo, b => b.Worker != a.Worker && b.Run.Started < a.Run.Ended && a.Run.Started < b.Run.Ended);
                }
            }
            Assert.Contains(runs, r => r.Worker != 0 && r.Run.VideoId == victim && r.Run.Stage == VideoStage.DetectingScenes && r.Run.Succeeded);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private static async Task WaitUntilAllFinishedAsync(IndexerHost host, List<Guid> videoIds)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(Patience);
        while (true)
        {
            await using var db = host.OpenDb();
            var unfinished = await db.Videos.CountAsync(v => videoIds.Contains(v.Id)
                && v.Status != VideoStatus.Completed && v.Status != VideoStatus.Failed, guard.Token);
            if (unfinished == 0)
            {
                return;
            }
            await Task.Delay(200, guard.Token);
        }
    }

    /// <summary>A two-second silent test pattern, small enough that twenty of them index quickly.</summary>
    private static async Task<string> GenerateClipAsync(string path)
    {
        var runner = new ProcessRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<ProcessRunner>.Instance);
        await runner.RunAsync("ffmpeg",
            ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2", "-pix_fmt", "yuv420p", "-y", path],
            TimeSpan.FromMinutes(1), CancellationToken.None);
        return path;
    }
}
