using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Veeky.Progress;

namespace Veeky.Redis;

/// <summary>
/// Progress fan-out across processes: every event is published as JSON on <see cref="ChannelName"/>, and each process
/// holds one subscription that hands events to its local subscribers (bounded, dropping the oldest, as
/// <see cref="InProcessProgressBroadcaster"/> does). An event published by this process reaches its own
/// subscribers through Redis too, so nothing arrives twice.
/// Publishing never fails the indexer: while Redis is down events are logged and dropped; each event supersedes the
/// previous one for its video and the database keeps the truth.
/// </summary>
public sealed class RedisProgressBroadcaster(RedisClient client, RedisSubscriber subscriber, ILogger<RedisProgressBroadcaster> logger)
    : IProgressBroadcaster
{
    public const string ChannelName = "veeky:progress";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>This process's own subscribers, fed from the Redis channel: the same bounded, drop-oldest fan-out as the
    /// embedded edition, so a slow SSE client loses old events and never slows the others.</summary>
    private readonly InProcessProgressBroadcaster _local = new();
    private readonly Lock _gate = new();
    private Task? _subscription;
    private int _droppedSinceLastLog;

    public async ValueTask PublishAsync(VideoProgressEvent progress, CancellationToken ct = default)
    {
        try
        {
            await client.PublishAsync(ChannelName, JsonSerializer.Serialize(progress, Json), ct);
            var dropped = Interlocked.Exchange(ref _droppedSinceLastLog, 0);
            if (dropped > 0)
            {
                logger.LogInformation("Progress events flow through Redis again; {Dropped} were dropped meanwhile", dropped);
            }
        }
        catch (RedisException ex)
        {
            // Log the first drop of an outage only; the client logs its own reconnect attempts.
            if (Interlocked.Increment(ref _droppedSinceLastLog) == 1)
            {
                logger.LogWarning("Dropping progress of video {VideoId}: {Reason}", progress.Id, ex.Message);
            }
        }
    }

    /// <summary>How long a new stream waits for the first confirmed subscription; while Redis is unreachable it then
    /// starts anyway and gets other processes' events once the subscriber reconnects.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(2);

    public async ValueTask ReadyAsync(CancellationToken ct)
    {
        await EnsureSubscribedAsync().WaitAsync(ct);
        try
        {
            await subscriber.WhenSubscribedAsync(ChannelName).WaitAsync(ReadyTimeout, ct);
        }
        catch (TimeoutException)
        {
            // Redis is down or slow: a stream without cross-process events beats a stream that never starts.
        }
    }

    public async IAsyncEnumerable<VideoProgressEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await EnsureSubscribedAsync();
        await foreach (var item in _local.SubscribeAsync(ct))
        {
            yield return item;
        }
    }

    /// <summary>Subscribes this process once, on its first local subscriber, so hosts that only publish (the indexer)
    /// hold no subscriber connection.</summary>
    private Task EnsureSubscribedAsync()
    {
        lock (_gate)
        {
            // Not the caller's token: this subscription serves every later subscriber of the process too.
            return _subscription ??= subscriber.SubscribeAsync(ChannelName, OnMessage, CancellationToken.None);
        }
    }

    private void OnMessage(string message)
    {
        VideoProgressEvent? progress;
        try
        {
            progress = JsonSerializer.Deserialize<VideoProgressEvent>(message, Json);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Ignoring a malformed progress message on {Channel}: {Reason}", ChannelName, ex.Message);
            return;
        }
        if (progress is null)
        {
            return;
        }
        _local.Publish(progress);
    }
}
