namespace Veeky.Web.Api;

/// <summary>An admin's one-time password reset link (<c>POST /api/users/{id}/password-reset</c>); <c>Path</c> is this
/// site's <c>/reset-password?…</c> page.</summary>
public sealed record PasswordResetLink(Guid UserId, string Email, string Path, string Token, DateTimeOffset ExpiresAt);
