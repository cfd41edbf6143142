namespace Veeky.Web.Api;

/// <summary>The <c>video</c> object of API.md. Status and stage stay strings: the UI shows them, it does not branch
/// on stages, and a stage added to the API later must not break the page.</summary>
public sealed record VideoSummary(
    Guid Id,
    string Title,
    string? Description,
    IReadOnlyList<string>? Keywords,
    Guid CategoryId,
    Guid UploaderId,
    string Status,
    string? Stage,
    double Progress,
    string? Error,
    double? DurationSeconds,
    int? Width,
    int? Height,
    long SizeBytes,
    string? ContentType,
    int SegmentCount,
    string? Summary,
    string? StreamUrl,
    string? ThumbnailUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? CaptionsVttUrl = null,
    string? CaptionsSrtUrl = null)
{
    public bool IsProcessing => Status is VideoStatuses.Pending or VideoStatuses.Processing;
}
