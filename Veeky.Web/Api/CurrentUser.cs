namespace Veeky.Web.Api;

/// <summary>Answer of <c>GET /api/auth/me</c>.</summary>
public sealed record CurrentUser(Guid Id, string Email, string Role, IReadOnlyList<Guid> CategoryIds);
