namespace Veeky.Web.Api;

/// <summary>The <c>hit</c> object of API.md: one moment matching a query.</summary>
public sealed record SearchHit(
    Guid VideoId,
    string VideoTitle,
    Guid CategoryId,
    int SegmentIndex,
    double Start,
    double End,
    double Score,
    string? Snippet,
    IReadOnlyList<string>? MatchedFields,
    string? KeyframeUrl,
    string? ThumbnailUrl = null);
