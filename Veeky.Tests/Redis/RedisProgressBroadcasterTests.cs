using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Progress;
using Veeky.Redis;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Redis;

/// <summary>Progress events across two API replicas sharing one Redis, including a Redis restart mid-stream.
/// Each test owns its server, since some kill it.</summary>
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
        // from then on is lost, even on a replica whose subscriber connection has only just been started.
        await using var server = await RedisServer.StartAsync();
        await using var publisher = new RedisReplica(server);
        await using var fresh = new RedisReplica(server);
        var ct = TestContext.Current.CancellationToken;
        // The publisher is connected already, as another replica's would be: its PUBLISH goes out at once.
        await publisher.Broadcaster.PublishAsync(Progress(Guid.NewGuid(), 0), ct);

        await fresh.Broadcaster.ReadyAsync(ct);
        await using var events = fresh.Broadcaster.SubscribeAsync(ct).GetAsyncEnumerator(ct);
        var next = events.MoveNextAsync().AsTask();
        var sent = Progress(Guid.NewGuid(), 0.1);
        await publisher.Broadcaster.PublishAsync(sent, ct);

        Assert.True(await next.WaitAsync(Patience, ct));
        Assert.Equal(sent, events.Current);
    }

    [Fact]
    public async Task Ready_gives_up_waiting_when_Redis_cannot_be_reached_so_streams_still_start()
    {
        var nowhere = RedisConnectionSettings.Parse($"127.0.0.1:{FreePort()}");
        await using var subscriber = new RedisSubscriber(nowhere, NullLogger<RedisSubscriber>.Instance);
        await using var client = new RedisClient(nowhere, NullLogger<RedisClient>.Instance);
        var broadcaster = new RedisProgressBroadcaster(client, subscriber, NullLogger<RedisProgressBroadcaster>.Instance);

        await broadcaster.ReadyAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Patience, TestContext.Current.CancellationToken);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task An_event_published_on_one_replica_reaches_subscribers_on_another()
    {
        await using var server = await RedisServer.StartAsync();
        await using var replicaA = new RedisReplica(server);
        await using var replicaB = new RedisReplica(server);
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
    public async Task Subscribers_receive_events_published_after_Redis_restarts_and_publishing_during_the_outage_does_not_throw()
    {
        await using var server = await RedisServer.StartAsync();
        await using var replicaA = new RedisReplica(server);
        await using var replicaB = new RedisReplica(server);
        await using var onB = new ProgressListener(replicaB.Broadcaster);
        await WaitUntilLiveAsync(replicaA, onB);
        var video = Guid.NewGuid();
        await replicaA.Broadcaster.PublishAsync(Progress(video, 0.1, "before"));
        Assert.NotNull(await onB.WaitForAsync(p => p.Error == "before", Patience));

        await server.KillAsync();
        for (var i = 0; i < 5; i++)
        {
            // Must neither throw nor hang: the indexer publishes from its pipeline.
            await replicaA.Broadcaster.PublishAsync(Progress(video, 0.2, "during"));
        }
        await server.StartAsync();

        // Nobody touches the subscriber: its connection must come back and resubscribe by itself. Publish until an
        // event sent after the restart arrives (the reconnect takes a backoff interval).
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
    public async Task The_command_client_reconnects_by_itself_after_Redis_restarts()
    {
        await using var server = await RedisServer.StartAsync();
        await using var client = server.CreateClient();
        Assert.Equal("PONG", await client.PingAsync());

        await server.KillAsync();
        await Assert.ThrowsAsync<Veeky.Redis.RedisConnectionException>(() => client.PingAsync());
        await server.StartAsync();

        Assert.True(await Eventually.TrueAsync(async () =>
        {
            try { return await client.PingAsync() == "PONG"; }
            catch (Veeky.Redis.RedisConnectionException) { return false; }
        }, Patience));
    }
}
