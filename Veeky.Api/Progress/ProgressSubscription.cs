using Veeky.Progress;

namespace Veeky.Api.Progress;

/// <summary>
/// A subscription to <see cref="IProgressBroadcaster"/> that is live once <see cref="StartAsync"/> returns (so a stream
/// can subscribe first and then read the current state without missing a change in between), and that can be ended
/// while it waits for the next event.
/// </summary>
public sealed class ProgressSubscription : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly IAsyncEnumerator<VideoProgressEvent> _events;
    private Task<bool>? _pending;

    /// <summary>A subscription that gets everything published after this completes, by this or any other process:
    /// with Redis, the channel subscription is confirmed first, so a stream that reads the current state next cannot
    /// miss a change published in between.</summary>
    public static async Task<ProgressSubscription> StartAsync(IProgressBroadcaster broadcaster, CancellationToken ct)
    {
        await broadcaster.ReadyAsync(ct);
        return new ProgressSubscription(broadcaster, ct);
    }

    private ProgressSubscription(IProgressBroadcaster broadcaster, CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _events = broadcaster.SubscribeAsync(_stop.Token).GetAsyncEnumerator(_stop.Token);
        // The first MoveNext registers the subscriber, then waits for an event.
        _pending = _events.MoveNextAsync().AsTask();
    }

    /// <summary>The next event, or null when the subscription ended.</summary>
    public async Task<VideoProgressEvent?> NextAsync()
    {
        if (_pending is not { } pending)
        {
            return null;
        }
        _pending = null;
        if (!await pending)
        {
            return null;
        }
        var current = _events.Current;
        _pending = _events.MoveNextAsync().AsTask();
        return current;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_pending is { } pending)
        {
            _pending = null;
            try
            {
                await pending;
            }
            catch (OperationCanceledException)
            {
                // Expected: the wait for the next event was cancelled above.
            }
        }
        await _events.DisposeAsync();
        _stop.Dispose();
    }
}
