using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Redis;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary>What one API replica holds of Redis: its own command connection, subscriber connection and broadcaster.</summary>
internal sealed class RedisReplica : IAsyncDisposable
{
    public RedisReplica(RedisServer server)
    {
        Client = server.CreateClient();
        Subscriber = new RedisSubscriber(server.Settings, NullLogger<RedisSubscriber>.Instance);
        Broadcaster = new RedisProgressBroadcaster(Client, Subscriber, NullLogger<RedisProgressBroadcaster>.Instance);
    }

    public RedisClient Client { get; }

    public RedisSubscriber Subscriber { get; }

    public RedisProgressBroadcaster Broadcaster { get; }

    public async ValueTask DisposeAsync()
    {
        await Subscriber.DisposeAsync();
        await Client.DisposeAsync();
    }
}
