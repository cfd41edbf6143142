namespace Veeky.Web.Api;

/// <summary>One page of <c>GET /api/videos</c>.</summary>
public sealed record VideoPage(IReadOnlyList<VideoSummary> Items, int Total, int Page, int PageSize);
