namespace Veeky.Web.Api;

/// <summary>An API key as <c>GET /api/auth/keys</c> lists it: no secret, its first characters to recognise it by.</summary>
public sealed record ApiKeySummary(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt);
