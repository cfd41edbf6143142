using Veeky.Videos;

namespace Veeky.Api.Videos;

/// <summary>The query of <c>GET /api/videos</c>: filters, order and page, as the library's address holds them.</summary>
/// <param name="Q">Words that must each appear in the title or the description (any case).</param>
/// <param name="Sort">One of <see cref="VideoListFilters.OrderNames"/>; newest first when absent.</param>
public sealed record VideoListQuery(Guid? CategoryId, VideoStatus? Status, Guid? UploaderId, string? Q, string? Sort, int? Page, int? PageSize);

/// <summary>The orders the library offers, and how each reads as a database query.</summary>
public enum VideoListOrder { Newest, Oldest, Title, Duration }

/// <summary>Filters and orders of the video list, applied inside the database query (after
/// <see cref="VideoVisibility.VisibleTo"/>), so paging and the total count agree with what is shown.</summary>
public static class VideoListFilters
{
    /// <summary>More words than a person types: a longer query is cut here rather than growing the SQL without bound.</summary>
    private const int MaxWords = 12;

    /// <summary>The <c>sort</c> values of the API, in the order a page offers them.</summary>
    public static IReadOnlyList<string> OrderNames { get; } = ["newest", "oldest", "title", "duration"];

    /// <summary>Reads a <c>sort</c> value; absent or empty is <see cref="VideoListOrder.Newest"/>.</summary>
    public static bool TryParseOrder(string? value, out VideoListOrder order)
    {
        order = VideoListOrder.Newest;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }
        return OrderNames.Contains(value.Trim().ToLowerInvariant()) && Enum.TryParse(value.Trim(), ignoreCase: true, out order);
    }

    public static IQueryable<Video> MatchingFilters(this IQueryable<Video> videos, Guid? categoryId, VideoStatus? status, Guid? uploaderId, string? q)
    {
        if (categoryId is { } category)
        {
            videos = videos.Where(v => v.CategoryId == category);
        }
        if (status is { } wanted)
        {
            videos = videos.Where(v => v.Status == wanted);
        }
        if (uploaderId is { } uploader)
        {
            videos = videos.Where(v => v.UploaderId == uploader);
        }
        foreach (var word in Words(q))
        {
            videos = videos.Where(v => v.Title.ToLower().Contains(word) || (v.Description != null && v.Description.ToLower().Contains(word)));
        }
        return videos;
    }

    /// <summary>Ties broken by id, so a page boundary never shows a video twice or skips one. Videos without a duration
    /// (not yet probed) come last in the duration order on every database.</summary>
    public static IOrderedQueryable<Video> OrderedBy(this IQueryable<Video> videos, VideoListOrder order) => order switch
    {
        VideoListOrder.Oldest => videos.OrderBy(v => v.CreatedAt).ThenBy(v => v.Id),
        VideoListOrder.Title => videos.OrderBy(v => v.Title.ToLower()).ThenByDescending(v => v.CreatedAt).ThenBy(v => v.Id),
        VideoListOrder.Duration => videos.OrderBy(v => v.DurationSeconds == null).ThenByDescending(v => v.DurationSeconds)
            .ThenByDescending(v => v.CreatedAt).ThenBy(v => v.Id),
        _ => videos.OrderByDescending(v => v.CreatedAt).ThenByDescending(v => v.Id),
    };

    private static IEnumerable<string> Words(string? q) =>
        string.IsNullOrWhiteSpace(q)
            ? []
            : q.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct().Take(MaxWords);
}
