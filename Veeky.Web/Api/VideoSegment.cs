namespace Veeky.Web.Api;

/// <summary>The <c>segment</c> object of API.md: one moment of a video between two cuts.</summary>
public sealed record VideoSegment(
    int Index,
    double Start,
    double End,
    string? Transcript,
    string? OcrText,
    string? Caption,
    IReadOnlyList<string>? Keywords,
    string? KeyframeUrl,
    string? ThumbnailUrl = null);
