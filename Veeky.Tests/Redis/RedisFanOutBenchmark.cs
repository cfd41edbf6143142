using System.Diagnostics;
using Veeky.Progress;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Redis;

/// <summary>
/// Opt-in measurement (<c>VEEKY_BENCH=1</c>), not a timed test: latency of a progress event from
/// <c>PublishAsync</c> on replica A to its receipt by a subscriber on replica B, over a local redis-server.
/// Run: <c>VEEKY_BENCH=1 dotnet test Veeky.Tests --filter "FullyQualifiedName~RedisFanOutBenchmark" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class RedisFanOutBenchmark(ITestOutputHelper output)
{
    private const int Events = 1000;

    [Fact]
    public async Task Progress_event_latency_between_two_replicas()
    {
        if (Environment.GetEnvironmentVariable("VEEKY_BENCH") != "1")
        {
            Assert.Skip("benchmark; set VEEKY_BENCH=1 to run");
        }
        await using var server = await RedisServer.StartAsync();
        await using var replicaA = await RedisReplica.StartAsync(server);
        await using var replicaB = await RedisReplica.StartAsync(server);
        await using var onB = new ProgressListener(replicaB.Broadcaster);
        var video = Guid.NewGuid();
        await WarmUpAsync(replicaA, onB, video);

        // One at a time: the latency an SSE client sees on a quiet system.
        var sequential = new List<double>(Events);
        for (var i = 0; i < Events; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await replicaA.Broadcaster.PublishAsync(Event(video, i));
            var received = await onB.WaitForAsync(p => p.Progress == i, TimeSpan.FromSeconds(5));
            Assert.NotNull(received);
            sequential.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        Report("sequential", sequential);

        // A burst from many stages at once: publishes pipeline on one connection, so latency includes queueing. A
        // subscriber's buffer may drop the oldest events of a burst by design; the count received is reported.
        var sentAt = new long[Events];
        var latencies = new List<double>(Events);
        var receiving = Task.Run(async () =>
        {
            while (latencies.Count < Events
                   && await onB.WaitForAsync(p => p.Error == "burst", TimeSpan.FromSeconds(2)) is { } p)
            {
                latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt[(int)p.Progress])).TotalMilliseconds);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, Events).Select(async i =>
        {
            Volatile.Write(ref sentAt[i], Stopwatch.GetTimestamp());
            await replicaA.Broadcaster.PublishAsync(Event(video, i) with { Error = "burst" });
        }));
        await receiving;
        Report($"burst of {Events}", latencies);
    }

    private static VideoProgressEvent Event(Guid video, int sequence) =>
        new(video, Guid.Empty, VideoStatus.Processing, VideoStage.Enriching, sequence, null, DateTimeOffset.UtcNow);

    private static async Task WarmUpAsync(RedisReplica publisher, ProgressListener listener, Guid video)
    {
        for (var i = 0; i < 200; i++)
        {
            await publisher.Broadcaster.PublishAsync(Event(video, -1));
            if (await listener.WaitForAsync(p => p.Progress == -1, TimeSpan.FromMilliseconds(100)) is not null)
            {
                return;
            }
        }
        Assert.Fail("The subscription never became live.");
    }

    private void Report(string label, List<double> milliseconds)
    {
        milliseconds.Sort();
        double Percentile(double p) => milliseconds[Math.Min(milliseconds.Count - 1, (int)Math.Ceiling(p * milliseconds.Count) - 1)];
        var line = $"Redis fan-out {label}: n={milliseconds.Count} p50={Percentile(0.50):0.000} ms p95={Percentile(0.95):0.000} ms " +
                   $"p99={Percentile(0.99):0.000} ms max={milliseconds[^1]:0.000} ms";
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
