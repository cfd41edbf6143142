using System.Globalization;
using Veeky.Web.Api;

namespace Veeky.Web.Search;

/// <summary>
/// Everything a search page shows, as its address holds it (<c>q</c>, <c>categoryId</c>, <c>videoId</c>, <c>from</c>,
/// <c>to</c>, <c>page</c>), so a search can be bookmarked and shared. Dates are passed on as typed: the API says what is
/// wrong with one.
/// </summary>
public sealed record SearchState(string? Query, Guid? CategoryId = null, Guid? VideoId = null, string? From = null, string? To = null,
    int Page = 1)
{
    /// <summary>The address of "more like this" for one moment: <c>/search?like={videoId}:{index}</c>.</summary>
    public static string LikeHref(Guid videoId, int segmentIndex) =>
        $"/search?like={videoId}:{segmentIndex.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The moment of a <c>like</c> value, or null when it names none.</summary>
    public static (Guid VideoId, int SegmentIndex)? ParseLike(string? like)
    {
        var parts = like?.Split(':');
        return parts is [var video, var index] && Guid.TryParse(video, out var id)
            && int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var segment)
            ? (id, segment)
            : null;
    }

    /// <summary>Whether there is anything to search for.</summary>
    public bool HasQuery => !string.IsNullOrWhiteSpace(Query);

    /// <summary>The filters as the API client takes them.</summary>
    public SearchFilters Filters => new(CategoryId, VideoId, Blank(From), Blank(To));

    /// <summary>The page's address for another page of the same search.</summary>
    public string Href(int page) => "/search" + QueryString(this with { Page = page });

    /// <summary><c>?q=…&amp;…</c> with only the values that are set, in a fixed order.</summary>
    public static string QueryString(SearchState state)
    {
        var pairs = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                pairs.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
            }
        }
        Add("q", state.Query);
        Add("categoryId", state.CategoryId?.ToString());
        Add("videoId", state.VideoId?.ToString());
        Add("from", state.From);
        Add("to", state.To);
        if (state.Page > 1)
        {
            Add("page", state.Page.ToString(CultureInfo.InvariantCulture));
        }
        return pairs.Count == 0 ? "" : "?" + string.Join('&', pairs);
    }

    /// <summary>The value for an <c>&lt;input type="date"&gt;</c>: the date when it is one, else empty (the input would drop it).</summary>
    public static string? DateInputValue(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
