using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Veeky.Progress;

/// <summary>Progress fan-out inside one process (the embedded edition): each subscriber gets its own bounded channel;
/// a subscriber too slow to keep up loses the oldest events, never blocks the indexer.</summary>
public sealed class InProcessProgressBroadcaster : IProgressBroadcaster
{
    /// <summary>Events buffered per subscriber; progress events supersede each other, so dropping old ones is safe.</summary>
    private const int SubscriberBuffer = 256;

    private readonly ConcurrentDictionary<Guid, Channel<VideoProgressEvent>> _subscribers = new();

    public ValueTask PublishAsync(VideoProgressEvent progress, CancellationToken ct = default)
    {
        Publish(progress);
        return ValueTask.CompletedTask;
    }

    /// <summary>Hands the event to every current subscriber without waiting (the channels never block).</summary>
    public void Publish(VideoProgressEvent progress)
    {
        foreach (var channel in _subscribers.Values)
        {
            channel.Writer.TryWrite(progress);
        }
    }

    public async IAsyncEnumerable<VideoProgressEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<VideoProgressEvent>(new BoundedChannelOptions(SubscriberBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _subscribers[id] = channel;
        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(ct))
            {
                yield return item;
            }
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }
}
