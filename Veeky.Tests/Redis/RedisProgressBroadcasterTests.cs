using Veeky.Progress;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Redis;

/// <summary>Progress events across two API replicas sharing one Redis, including Redis down at start and a Redis
/// restart mid-stream. Each test owns its server, since some kill it.</summary>
public sealed class RedisProgressBroadcasterTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static VideoProgressEvent Progress(Guid videoId, double progress, string? note = null) =>
        new(videoId, Guid.NewGuid(), VideoStatus.Processing, VideoStage.Transcribing, progress, note, DateTimeOffset.UtcNow);

    /// <summary>Subscribing is asynchronous (the SUBSCRIBE goes out on another connection), so publish probes until one
    /// arrives; after that the subscription is known to be live.</summary>
    private static async Task WaitUntilLiveAsync(RedisReplica publisher, ProgressListener listener)
    {
        var probe = Guid.NewGuid();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            await publisher.Broadcaster.PublishAsync(Progress(probe, 0));
            if (await listener.WaitForAsync(p => p.Id == probe, TimeSpan.FromMilliseconds(100)) is not null)
            {
                return;
            }
        }
        Assert.Fail("The subscription never became live.");
    }

    [Fact]
    public async Task Once_ready_a_first_subscriber_gets_what_another_replica_publishes_at_once()
    {
        // What an SSE stream relies on: after ReadyAsync, subscribe, read the current state, and nothing published
        // from then on is lost, even on a replica whose subscription has only just been made.
        await using var server = await RedisServer.StartAsync();
        await using var publisher = await RedisReplica.StartAsync(server);
        await using var fresh = await RedisReplica.StartAsync(server);
        var ct = TestContext.Current.CancellationToken;

        await fresh.Broadcaster.ReadyAsync(ct);
        await using var events = fresh.Broadcaster.SubscribeAsync(ct).GetAsyncEnumerator(ct);
        var next = events.MoveNextAsync().AsTask();
        var sent = Progress(Guid.NewGuid(), 0.1);
        await publisher.Broadcaster.PublishAsync(sent, ct);

        Assert.True(await next.WaitAsync(Patience, ct));
        Assert.Equal(sent, events.Current);
    }

    [Fact]
    public async Task An_event_published_on_one_replica_reaches_subscribers_on_another()
    {
        await using var server = await RedisServer.StartAsync();
        await using var replicaA = await RedisReplica.StartAsync(server);
        await using var replicaB = await RedisReplica.StartAsync(server);
        await using var onB = new ProgressListener(replicaB.Broadcaster);
        await using var alsoOnB = new ProgressListener(replicaB.Broadcaster);
        await WaitUntilLiveAsync(replicaA, onB);

        var video = Guid.NewGuid();
        var sent = Progress(video, 0.42, "halfway") with { Stage = VideoStage.ReadingText };
        await replicaA.Broadcaster.PublishAsync(sent);

        Assert.Equal(sent, await onB.WaitForAsync(p => p.Id == video, Patience));
        Assert.Equal(sent, await alsoOnB.WaitForAsync(p => p.Id == video, Patience));
    }

    [Fact]
    public async Task A_replica_s_own_subscribers_get_its_event_once_though_Redis_echoes_it_back()
    {
        await using var server = await RedisServer.StartAsync();
        await using var replicaA = await RedisReplica.StartAsync(server);
        await using var replicaB = await RedisReplica.StartAsync(server);
        await using var onA = new ProgressListener(replicaA.Broadcaster);
        await using var onB = new ProgressListener(replicaB.Broadcaster);
        await WaitUntilLiveAsync(replicaA, onB);
        await WaitUntilLiveAsync(replicaB, onA);
        var video = Guid.NewGuid();

        var sent = Progress(video, 0.5, "once");
        await replicaA.Broadcaster.PublishAsync(sent);
        Assert.NotNull(await onB.WaitForAsync(p => p.Error == "once", Patience));
        // B publishes only after Redis delivered A's event, so Redis sends the marker to A after any echo of A's event.
        await replicaB.Broadcaster.PublishAsync(Progress(video, 0.6, "marker"));
        var seenOnA = new List<VideoProgressEvent>();
        Assert.NotNull(await onA.WaitForAsync(p => { seenOnA.Add(p); return p.Error == "marker"; }, Patience));

        Assert.Single(seenOnA, p => p.Error == "once");
    }

    [Fact]
    public async Task While_Redis_is_unreachable_a_stream_starts_and_gets_its_own_process_s_events()
    {
        await using var server = await RedisServer.StartAsync();
        await server.KillAsync();
        await using var replica = await RedisReplica.StartAsync(server);
        var ct = TestContext.Current.CancellationToken;

        await replica.Broadcaster.ReadyAsync(ct).AsTask().WaitAsync(Patience, ct);
        await using var events = replica.Broadcaster.SubscribeAsync(ct).GetAsyncEnumerator(ct);
        var next = events.MoveNextAsync().AsTask();
        var sent = Progress(Guid.NewGuid(), 0.3, "local");
        await replica.Broadcaster.PublishAsync(sent, ct);

        Assert.False(replica.Redis.IsConnected);
        Assert.True(await next.WaitAsync(Patience, ct));
        Assert.Equal(sent, events.Current);
    }

    [Fact]
    public async Task A_subscription_made_while_Redis_is_down_gets_other_replicas_events_once_Redis_is_up()
    {
        await using var server = await RedisServer.StartAsync();
        await server.KillAsync();
        await using var replicaB = await RedisReplica.StartAsync(server);
        await using var onB = new ProgressListener(replicaB.Broadcaster);

        await server.StartAsync();
        await using var replicaA = await RedisReplica.StartAsync(server);

        // Nobody touches B: its multiplexer must connect and subscribe by itself.
        await WaitUntilLiveAsync(replicaA, onB);
        var sent = Progress(Guid.NewGuid(), 0.7, "late");
        await replicaA.Broadcaster.PublishAsync(sent);
        Assert.Equal(sent, await onB.WaitForAsync(p => p.Error == "late", Patience));
    }

    [Fact]
    public async Task During_a_Redis_restart_each_replica_s_subscribers_keep_their_own_events_and_the_fan_out_resumes_by_itself()
    {
        await using var server = await RedisServer.StartAsync();
        await using var replicaA = await RedisReplica.StartAsync(server);
        await using var replicaB = await RedisReplica.StartAsync(server);
        await using var onA = new ProgressListener(replicaA.Broadcaster);
        await using var onB = new ProgressListener(replicaB.Broadcaster);
        await WaitUntilLiveAsync(replicaA, onB);
        var video = Guid.NewGuid();
        await replicaA.Broadcaster.PublishAsync(Progress(video, 0.1, "before"));
        Assert.NotNull(await onB.WaitForAsync(p => p.Error == "before", Patience));

        await server.KillAsync();
        for (var i = 0; i < 5; i++)
        {
            // Must neither throw nor hang: the indexer publishes from its pipeline.
            await replicaA.Broadcaster.PublishAsync(Progress(video, 0.2, $"during {i}"));
        }
        Assert.NotNull(await onA.WaitForAsync(p => p.Error == "during 4", Patience));
        await server.StartAsync();

        // Nobody touches either replica: the multiplexers reconnect and resubscribe by themselves. Publish until an event
        // sent after the restart arrives (the reconnect takes a backoff interval).
        var deadline = DateTime.UtcNow + Patience;
        VideoProgressEvent? after = null;
        for (var n = 0; after is null && DateTime.UtcNow < deadline; n++)
        {
            await replicaA.Broadcaster.PublishAsync(Progress(video, 0.3, $"after {n}"));
            after = await onB.WaitForAsync(p => p.Error?.StartsWith("after", StringComparison.Ordinal) == true, TimeSpan.FromMilliseconds(200));
        }
        Assert.NotNull(after);

        var last = Progress(video, 1.0, "done");
        await replicaA.Broadcaster.PublishAsync(last);
        Assert.Equal(last, await onB.WaitForAsync(p => p.Error == "done", Patience));
    }

    [Fact]
    public async Task Events_from_one_replica_arrive_on_another_in_the_order_they_were_published()
    {
        // A later event supersedes an earlier one on screen: out of order, a finished video would show as processing.
        await using var server = await RedisServer.StartAsync();
        await using var replicaA = await RedisReplica.StartAsync(server);
        await using var replicaB = await RedisReplica.StartAsync(server);
        await using var onB = new ProgressListener(replicaB.Broadcaster);
        await WaitUntilLiveAsync(replicaA, onB);
        var video = Guid.NewGuid();

        for (var i = 0; i < 200; i++)
        {
            await replicaA.Broadcaster.PublishAsync(Progress(video, i / 200.0, $"step {i}"));
        }

        var received = new List<double>();
        Assert.NotNull(await onB.WaitForAsync(p =>
        {
            if (p.Id == video)
            {
                received.Add(p.Progress);
            }
            return p.Error == "step 199";
        }, Patience));
        Assert.Equal(received.Order(), received);
        Assert.Equal(200, received.Count);
    }
}
