using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using StackExchange.Redis.Configuration;

namespace Veeky.Redis;

/// <summary>
/// Veeky's defaults for the StackExchange.Redis options a connection string leaves out; an option the connection
/// string names (<c>connectTimeout=…</c>, <c>syncTimeout=…</c>, <c>keepAlive=…</c>) wins. Redis only speeds Veeky up
/// (progress across processes, cached searches), so every default favours carrying on without it over waiting for it.
/// </summary>
public sealed class RedisConnectionDefaults : DefaultOptionsProvider
{
    private static readonly IReconnectRetryPolicy Reconnect = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 5_000);

    /// <summary>Start without Redis and connect when it answers, instead of failing start-up.</summary>
    public override bool AbortOnConnectFail => false;

    /// <summary>A command while Redis is unreachable fails at once rather than waiting in a backlog for a Redis that
    /// may be gone for minutes: a search goes uncached, progress stays in its process, nothing waits.</summary>
    public override BacklogPolicy BacklogPolicy => BacklogPolicy.FailFast;

    /// <summary>2 s (the library says 5): Redis sits on the local network, and a search waiting longer for its cache
    /// than for the index is worse than no cache.</summary>
    public override TimeSpan? ConnectTimeout => TimeSpan.FromSeconds(2);

    /// <summary>2 s for one reply: Veeky's commands are tiny, so a slower answer means Redis or the link is unhealthy.</summary>
    public override TimeSpan SyncTimeout => TimeSpan.FromSeconds(2);

    /// <summary>15 s (the library says 60): the subscriber connection is silent between messages, and a PING this often
    /// finds a hung Redis or a dead route long before TCP would.</summary>
    public override TimeSpan KeepAliveInterval => TimeSpan.FromSeconds(15);

    /// <summary>Reconnect attempts from 250 ms apart, backing off to 5 s: a restarted Redis is used again within
    /// seconds, and a long outage costs one connection attempt every few seconds.</summary>
    public override IReconnectRetryPolicy ReconnectRetryPolicy => Reconnect;

    /// <summary>Gives <paramref name="options"/> Veeky's defaults, never lets a failed first connection stop the host
    /// (even with <c>abortConnect=true</c> in the connection string), and keeps the library's own log quiet: it logs
    /// every failed reconnection attempt as an error, several a second through an outage, where
    /// <see cref="RedisConnectionLog"/> says it once.</summary>
    public static ConfigurationOptions Apply(ConfigurationOptions options)
    {
        options.Defaults = new RedisConnectionDefaults();
        options.AbortOnConnectFail = false;
        options.LoggerFactory = NullLoggerFactory.Instance;
        return options;
    }
}
