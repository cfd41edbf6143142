namespace Veeky.Web.Api;

/// <summary>The optional filters of <c>GET /api/search</c>: category, one video, and the videos' creation dates
/// (<c>from</c>/<c>to</c>, ISO 8601, whole days when plain dates).</summary>
public sealed record SearchFilters(Guid? CategoryId = null, Guid? VideoId = null, string? From = null, string? To = null);
