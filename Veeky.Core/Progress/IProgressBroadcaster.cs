using Veeky.Videos;

namespace Veeky.Progress;

/// <summary>A change of a video's indexing state, as streamed to clients (API.md, Live progress).</summary>
public sealed record VideoProgressEvent(
    Guid Id,
    Guid CategoryId,
    VideoStatus Status,
    VideoStage Stage,
    double Progress,
    string? Error,
    DateTimeOffset UpdatedAt);

/// <summary>Fans progress events out to every listener (in-process, or across replicas through Redis).</summary>
public interface IProgressBroadcaster
{
    ValueTask PublishAsync(VideoProgressEvent progress, CancellationToken ct = default);

    /// <summary>Events published from now on, until the token is cancelled.</summary>
    IAsyncEnumerable<VideoProgressEvent> SubscribeAsync(CancellationToken ct);

    /// <summary>Completes once a subscription started afterwards receives what other processes publish from then on
    /// (for Redis: the channel subscription is confirmed). In-process there is nothing to wait for.</summary>
    ValueTask ReadyAsync(CancellationToken ct) => ValueTask.CompletedTask;
}
