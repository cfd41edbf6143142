namespace Veeky.Contracts;

/// <summary>Body of <c>POST /api/videos/{id}/shares</c>.</summary>
public sealed record CreateShareRequest(double? Start, int? ExpiresInHours);

/// <summary>A share link as its owner sees it. <c>Path</c> is the link without the host, for a UI served elsewhere.</summary>
public sealed record ShareLink(Guid Id, string Url, string Path, double Start, DateTimeOffset ExpiresAt, DateTimeOffset CreatedAt);

/// <summary>What a share link opens (<c>GET /api/shares/{token}</c>): one video, where to start, its moments.</summary>
public sealed record SharedVideoView(double Start, DateTimeOffset ExpiresAt, SharedVideo Video, IReadOnlyList<VideoSegment> Segments);

/// <summary>The shared video's fields a watcher needs, with signed media links; nothing about who uploaded it.</summary>
public sealed record SharedVideo(
    Guid Id,
    string Title,
    string? Description,
    IReadOnlyList<string> Keywords,
    string? Summary,
    double? DurationSeconds,
    int? Width,
    int? Height,
    string StreamUrl,
    string? ThumbnailUrl,
    string? CaptionsVttUrl);
