namespace Veeky.Web.Api;

/// <summary>Body of <c>POST /api/videos/import</c>.</summary>
public sealed record ImportVideoRequest(string Url, string Title, Guid CategoryId, string? Description = null, IReadOnlyList<string>? Keywords = null);
