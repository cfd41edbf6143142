namespace Veeky.Contracts;

/// <summary>The <c>video</c> object of API.md, with signed media links (null while the file behind them does not exist).</summary>
public sealed record VideoSummary(
    Guid Id,
    string Title,
    string? Description,
    IReadOnlyList<string> Keywords,
    Guid CategoryId,
    Guid UploaderId,
    string Status,
    string Stage,
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
    string? CaptionsVttUrl = null,
    string? CaptionsSrtUrl = null);

/// <summary>The <c>segment</c> object of API.md: one moment of a video between two cuts, with signed links to its
/// keyframe and the keyframe's small copy.</summary>
public sealed record VideoSegment(
    int Index,
    double Start,
    double End,
    string? Transcript,
    string? OcrText,
    string? Caption,
    IReadOnlyList<string> Keywords,
    string? KeyframeUrl,
    string? ThumbnailUrl = null);

/// <summary>Indexing state of a video (<c>GET /api/videos/{id}/status</c>, and the answer of a reindex).</summary>
public sealed record VideoProgress(Guid Id, string Status, string Stage, double Progress, string? Error, DateTimeOffset UpdatedAt);

/// <summary>A <c>progress</c> event of <c>/api/videos/{id}/events</c> and <c>/api/events</c>.</summary>
public sealed record ProgressEvent(Guid Id, string Status, string Stage, double Progress, string? Error);

/// <summary>One page of <c>GET /api/videos</c>.</summary>
public sealed record VideoPage(IReadOnlyList<VideoSummary> Items, int Total, int Page, int PageSize);

/// <summary>Body of <c>PUT /api/videos/{id}</c>: every editable field at once.</summary>
public sealed record VideoEditRequest(string? Title, string? Description, IReadOnlyList<string>? Keywords, Guid? CategoryId);

/// <summary>Body of <c>POST /api/videos/import</c>.</summary>
public sealed record ImportVideoRequest(string? Url, string? Title, Guid? CategoryId, string? Description = null,
    IReadOnlyList<string>? Keywords = null);

/// <summary>The status names of API.md.</summary>
public static class VideoStatuses
{
    public const string Pending = "Pending";
    public const string Processing = "Processing";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
}

/// <summary>One keyframe of <c>GET /api/videos/{id}/keyframes</c>: its segment, where it is (seconds) and its signed thumbnail link.</summary>
public sealed record VideoKeyframe(int SegmentIndex, double Start, string ThumbnailUrl);

/// <summary>One sentence of <c>GET /api/videos/{id}/sentences</c>: where it starts and ends in the video (seconds) and
/// what was said.</summary>
public sealed record TranscriptSentence(double Start, double End, string Text);
