using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Veeky.Progress;

namespace Veeky.Redis;

/// <summary>
/// Progress fan-out across processes. An event goes straight to this process's own subscribers and, as JSON on
/// <see cref="ChannelName"/>, to every other process; each process holds one subscription that hands other processes'
/// events to its subscribers and skips its own (it has them already). Local subscribers get the same bounded,
/// drop-oldest fan-out as <see cref="InProcessProgressBroadcaster"/>, so a slow SSE client never slows the others.
/// While Redis is unreachable, a process's own subscribers still get its events, other processes' events are lost
/// (pub/sub keeps nothing; each event supersedes the last and the database holds the truth), and the multiplexer
/// subscribes again by itself once Redis is back.
/// </summary>
public sealed class RedisProgressBroadcaster(IConnectionMultiplexer redis, ILogger<RedisProgressBroadcaster> logger)
    : IProgressBroadcaster
{
    public const string ChannelName = "veeky:progress";

    private static readonly RedisChannel Channel = RedisChannel.Literal(ChannelName);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>How long a new stream waits for the subscription to be confirmed; while Redis is unreachable it then
    /// starts anyway, and gets other processes' events once the multiplexer has subscribed again.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Marks this process's messages, so its subscription can skip them.</summary>
    private readonly string _origin = Guid.NewGuid().ToString("N");

    private readonly InProcessProgressBroadcaster _local = new();
    private readonly Lock _gate = new();
    private ChannelMessageQueue? _subscription;

    public ValueTask PublishAsync(VideoProgressEvent progress, CancellationToken ct = default)
    {
        _local.Publish(progress);
        try
        {
            // Fire and forget: the indexer never waits for Redis, and messages keep their order on the one connection.
            // While Redis is unreachable this returns at once and the message is lost to other processes.
            redis.GetSubscriber().Publish(Channel, JsonSerializer.Serialize(new ProgressMessage(_origin, progress), Json),
                CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            // The outage itself is logged once by RedisConnectionLog; one line per event would flood the log.
            logger.LogDebug("Progress of video {VideoId} stays in this process: {Reason}", progress.Id, ex.Message);
        }
        return ValueTask.CompletedTask;
    }

    public async ValueTask ReadyAsync(CancellationToken ct)
    {
        var subscriber = EnsureSubscribed();
        if (!redis.IsConnected)
        {
            // Nothing to confirm until Redis answers: a stream with this process's events only beats a stream that
            // waits, and the multiplexer subscribes by itself once it connects.
            return;
        }
        try
        {
            // A PING on the subscriber connection is answered after the SUBSCRIBE sent before it: once it returns, the
            // subscription is live.
            await subscriber.PingAsync().WaitAsync(ReadyTimeout, ct);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
        {
            // Redis went away or is slow: the stream starts anyway, as above.
        }
    }

    public async IAsyncEnumerable<VideoProgressEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken ct)
    {
        EnsureSubscribed();
        await foreach (var item in _local.SubscribeAsync(ct))
        {
            yield return item;
        }
    }

    /// <summary>Subscribes this process once, on its first local subscriber, so hosts that only publish (the indexer)
    /// hold no subscription.</summary>
    private ISubscriber EnsureSubscribed()
    {
        var subscriber = redis.GetSubscriber();
        lock (_gate)
        {
            if (_subscription is null)
            {
                // Fire and forget, so this neither waits nor throws while Redis is unreachable: the subscription is
                // registered either way and the multiplexer (re)subscribes whenever it (re)connects. The queue hands
                // messages over one at a time, in the order they arrived.
                _subscription = subscriber.Subscribe(Channel, CommandFlags.FireAndForget);
                _subscription.OnMessage(OnMessage);
            }
        }
        return subscriber;
    }

    private void OnMessage(ChannelMessage message)
    {
        ProgressMessage? received;
        try
        {
            received = JsonSerializer.Deserialize<ProgressMessage>(message.Message.ToString(), Json);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Ignoring a malformed progress message on {Channel}: {Reason}", ChannelName, ex.Message);
            return;
        }
        if (received?.Progress is { } progress && received.Origin != _origin)
        {
            _local.Publish(progress);
        }
    }

    /// <summary>What travels on the channel: the event and the process that published it.</summary>
    private sealed record ProgressMessage(string Origin, VideoProgressEvent Progress);
}
