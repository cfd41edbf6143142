namespace Veeky.Web.Api;

/// <summary>Answer of <c>GET /api/videos/{id}/status</c>.</summary>
public sealed record VideoProgress(Guid Id, string Status, string? Stage, double Progress, string? Error, DateTimeOffset UpdatedAt);
