using System.Globalization;
using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Web.Library;

/// <summary>
/// What the library shows, as its address holds it (<c>/?q=…&amp;status=…&amp;categoryId=…&amp;uploaderId=…&amp;sort=…&amp;page=…</c>),
/// so a filtered, sorted library can be bookmarked and shared. Values the API would refuse (an unknown status or sort)
/// are dropped here, so a mistyped address shows the library rather than an error.
/// </summary>
public sealed record LibraryAddress(string? Query, string? Status, Guid? CategoryId, Guid? UploaderId, string Sort, int Page)
{
    public const string DefaultSort = "newest";

    /// <summary>The orders of <c>GET /api/videos?sort=</c> and how the page names them.</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Sorts =
    [
        ("newest", "Newest first"), ("oldest", "Oldest first"), ("title", "Title A–Z"), ("duration", "Longest first"),
    ];

    /// <summary>The statuses of API.md and how the page names them (as the cards' badges do).</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Statuses =
    [
        (VideoStatuses.Completed, "Ready"), (VideoStatuses.Processing, "Indexing"), (VideoStatuses.Pending, "Queued"), (VideoStatuses.Failed, "Failed"),
    ];

    public static LibraryAddress From(string? query, string? status, Guid? categoryId, Guid? uploaderId, string? sort, int? page) => new(
        string.IsNullOrWhiteSpace(query) ? null : query.Trim(),
        Statuses.FirstOrDefault(s => string.Equals(s.Value, status, StringComparison.OrdinalIgnoreCase)).Value,
        categoryId,
        uploaderId,
        Sorts.FirstOrDefault(s => string.Equals(s.Value, sort, StringComparison.OrdinalIgnoreCase)).Value ?? DefaultSort,
        Math.Max(1, page ?? 1));

    /// <summary>Whether anything narrows the library (the order does not).</summary>
    public bool IsFiltered => Query is not null || Status is not null || CategoryId is not null || UploaderId is not null;

    /// <summary>Whether a video uploaded after the page loaded belongs at the top of this page: the first page, newest
    /// first, with no words or status to match (category and uploader are checked on the card itself).</summary>
    public bool TakesNewUploads => Page == 1 && Sort == DefaultSort && Query is null && Status is null;

    /// <summary>This address at another page; values at their defaults are left out.</summary>
    public string Href(int page)
    {
        var parts = new List<string>();
        Add("q", Query);
        Add("status", Status);
        Add("categoryId", CategoryId?.ToString());
        Add("uploaderId", UploaderId?.ToString());
        Add("sort", Sort == DefaultSort ? null : Sort);
        Add("page", page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null);
        return parts.Count == 0 ? "/" : "/?" + string.Join('&', parts);

        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
    }

    /// <summary>This address as it stands.</summary>
    public override string ToString() => Href(Page);
}
