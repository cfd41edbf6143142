using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Redis;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary>The subscriber connection on its own: subscribing, unsubscribing, a Redis that comes up late, and a command
/// timeout on the command connection. Each test owns its server.</summary>
public sealed class RedisSubscriberTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Messages_arrive_while_subscribed_and_stop_after_unsubscribing()
    {
        await using var server = await RedisServer.StartAsync();
        await using var client = server.CreateClient();
        await using var subscriber = new RedisSubscriber(server.Settings, NullLogger<RedisSubscriber>.Instance);
        var received = new ConcurrentQueue<string>();

        await subscriber.SubscribeAsync("test:news", received.Enqueue);
        Assert.True(await Eventually.TrueAsync(async () => await client.PublishAsync("test:news", "hello") == 1, Patience));
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(received.Contains("hello")), Patience));

        await subscriber.UnsubscribeAsync("test:news");
        Assert.True(await Eventually.TrueAsync(async () => await client.PublishAsync("test:news", "gone") == 0, Patience));
        Assert.DoesNotContain("gone", received);
    }

    [Fact]
    public async Task A_subscription_made_while_Redis_is_down_starts_once_Redis_is_up()
    {
        await using var server = await RedisServer.StartAsync();
        await server.KillAsync();
        await using var subscriber = new RedisSubscriber(server.Settings, NullLogger<RedisSubscriber>.Instance);
        var received = new ConcurrentQueue<string>();

        await subscriber.SubscribeAsync("test:late", received.Enqueue);
        await server.StartAsync();

        await using var client = server.CreateClient();
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            await client.PublishAsync("test:late", "finally");
            return received.Contains("finally");
        }, Patience));
    }

    [Fact]
    public async Task A_subscriber_whose_keep_alive_goes_unanswered_reconnects_and_resubscribes()
    {
        await using var server = await RedisServer.StartAsync();
        await using var admin = server.CreateClient();
        var settings = RedisConnectionSettings.Parse(server.ConnectionString + ",keepAlive=1,syncTimeout=300");
        await using var subscriber = new RedisSubscriber(settings, NullLogger<RedisSubscriber>.Instance);
        var confirmations = 0;
        subscriber.Subscribed += _ => Interlocked.Increment(ref confirmations);
        await subscriber.SubscribeAsync("test:quiet", _ => { });
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref confirmations) == 1), Patience));

        // Redis hangs (the socket stays open): only the unanswered PING can reveal it.
        await admin.ExecuteAsync(["CLIENT", "PAUSE", "2500", "ALL"]);

        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Volatile.Read(ref confirmations) >= 2), Patience));
    }

    [Fact]
    public async Task A_command_Redis_does_not_answer_in_time_fails_and_the_client_recovers()
    {
        await using var server = await RedisServer.StartAsync();
        await using var admin = server.CreateClient();
        await using var client = server.CreateClient(server.ConnectionString + ",syncTimeout=300");
        Assert.Equal("PONG", await client.PingAsync());

        // CLIENT PAUSE holds every client's commands on the server: a hung Redis, as the client sees it.
        await admin.ExecuteAsync(["CLIENT", "PAUSE", "1500", "ALL"]);
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => client.GetAsync("test:paused"));
        Assert.Contains("did not answer", error.Message);

        Assert.True(await Eventually.TrueAsync(async () =>
        {
            try { return await client.PingAsync() == "PONG"; }
            catch (RedisConnectionException) { return false; }
        }, Patience));
    }
}
