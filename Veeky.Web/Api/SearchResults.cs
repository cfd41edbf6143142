namespace Veeky.Web.Api;

/// <summary>Answer of <c>GET /api/search</c>.</summary>
public sealed record SearchResults(string Query, string Mode, int Total, double TookMs, IReadOnlyList<SearchHit> Hits);
