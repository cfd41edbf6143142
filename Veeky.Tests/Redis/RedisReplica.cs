using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Veeky.Redis;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary>What one API replica holds of Redis: its own multiplexer and the broadcaster over it.</summary>
internal sealed class RedisReplica : IAsyncDisposable
{
    private RedisReplica(ConnectionMultiplexer redis)
    {
        Redis = redis;
        Broadcaster = new RedisProgressBroadcaster(redis, NullLogger<RedisProgressBroadcaster>.Instance);
    }

    public ConnectionMultiplexer Redis { get; }

    public RedisProgressBroadcaster Broadcaster { get; }

    public static async Task<RedisReplica> StartAsync(RedisServer server) => new(await server.ConnectAsync());

    public ValueTask DisposeAsync() => Redis.DisposeAsync();
}
