namespace Veeky.Web.Api;

/// <summary>Body of <c>POST /api/auth/keys</c>; a null <see cref="ExpiresInDays"/> makes a key that does not expire.</summary>
public sealed record ApiKeyRequest(string Name, int? ExpiresInDays);
