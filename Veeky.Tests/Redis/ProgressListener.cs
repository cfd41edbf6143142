using System.Threading.Channels;
using Veeky.Progress;

namespace Veeky.Tests.Redis;

/// <summary>A subscriber as an SSE stream would be: it enumerates the broadcaster and does nothing else, even across a
/// Redis restart. Received events are read from <see cref="Received"/>.</summary>
internal sealed class ProgressListener : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Channel<VideoProgressEvent> _received = Channel.CreateUnbounded<VideoProgressEvent>();

    public ProgressListener(IProgressBroadcaster broadcaster)
    {
        _loop = Task.Run(async () =>
        {
            try
            {
                await foreach (var progress in broadcaster.SubscribeAsync(_stop.Token))
                {
                    _received.Writer.TryWrite(progress);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
        });
    }

    public ChannelReader<VideoProgressEvent> Received => _received.Reader;

    /// <summary>The first event matching, or null if none arrives in time.</summary>
    public async Task<VideoProgressEvent?> WaitForAsync(Func<VideoProgressEvent, bool> match, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await _received.Reader.WaitToReadAsync(timeout.Token))
            {
                while (_received.Reader.TryRead(out var progress))
                {
                    if (match(progress))
                    {
                        return progress;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }
}
