using Veeky.Api.Media;
using Veeky.Media;
using Veeky.Videos;

namespace Veeky.Api.Videos;

/// <summary>A video as the API shows it, with signed media links.</summary>
public sealed record VideoResponse(
    Guid Id,
    string Title,
    string? Description,
    IReadOnlyList<string> Keywords,
    Guid CategoryId,
    Guid UploaderId,
    VideoStatus Status,
    VideoStage Stage,
    double Progress,
    string? Error,
    double? DurationSeconds,
    int? Width,
    int? Height,
    long SizeBytes,
    string? ContentType,
    int SegmentCount,
    string? Summary,
    string StreamUrl,
    string? ThumbnailUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? CaptionsVttUrl,
    string? CaptionsSrtUrl)
{
    public static VideoResponse From(Video video, MediaLinkSigner signer, IMediaStore store) => new(
        video.Id, video.Title, video.Description, video.Keywords, video.CategoryId, video.UploaderId,
        video.Status, video.Stage, video.Progress, video.Error,
        video.DurationSeconds, video.Width, video.Height, video.SizeBytes, video.ContentType, video.SegmentCount, video.Summary,
        signer.Sign(MediaLinks.StreamPath(video.Id)),
        // No link before the indexer made the thumbnail: a broken image is worse than a placeholder.
        store.Exists(store.ThumbnailPath(video.Id)) ? signer.Sign(MediaLinks.ThumbnailPath(video.Id)) : null,
        video.CreatedAt, video.UpdatedAt,
        // Captions exist once speech is transcribed (a silent video has none to offer).
        HasSpeech(video) ? signer.Sign(MediaLinks.WebVttCaptionsPath(video.Id)) : null,
        HasSpeech(video) ? signer.Sign(MediaLinks.SubRipCaptionsPath(video.Id)) : null);

    private static bool HasSpeech(Video video) => video.TranscriptJson is { Length: > 2 };
}

/// <summary>One segment (moment) of a video, with signed links to its keyframe and the keyframe's small copy.</summary>
public sealed record SegmentResponse(
    int Index,
    double Start,
    double End,
    string? Transcript,
    string? OcrText,
    string? Caption,
    IReadOnlyList<string> Keywords,
    string? KeyframeUrl,
    string? ThumbnailUrl)
{
    public static SegmentResponse From(Segment segment, MediaLinkSigner signer) => new(
        segment.Index, segment.Start, segment.End, segment.Transcript, segment.OcrText, segment.Caption, segment.Keywords,
        segment.KeyframePath is null ? null : signer.Sign(MediaLinks.KeyframePath(segment.VideoId, segment.Index)),
        // The endpoint falls back to the keyframe when no small copy exists, so the link needs no file check here.
        segment.KeyframePath is null ? null : signer.Sign(MediaLinks.SegmentThumbnailPath(segment.VideoId, segment.Index)));
}

/// <summary>Indexing state of a video (<c>GET /api/videos/{id}/status</c>).</summary>
public sealed record VideoStatusResponse(Guid Id, VideoStatus Status, VideoStage Stage, double Progress, string? Error, DateTimeOffset UpdatedAt);

/// <summary>One page of videos, newest first.</summary>
public sealed record VideoPage(IReadOnlyList<VideoResponse> Items, int Total, int Page, int PageSize);

/// <summary>Body of <c>PUT /api/videos/{id}</c>.</summary>
public sealed record UpdateVideoRequest(string? Title, string? Description, IReadOnlyList<string>? Keywords, Guid? CategoryId);
