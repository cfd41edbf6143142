namespace Veeky.Contracts;

/// <summary>Body of <c>POST /api/auth/login</c>.</summary>
public sealed record LoginRequest(string? Email, string? Password);

/// <summary>Body of <c>POST /api/auth/refresh</c> and <c>POST /api/auth/logout</c>.</summary>
public sealed record RefreshRequest(string? RefreshToken);

/// <summary>Answer of login and refresh: a bearer access token, its lifetime in seconds and a refresh token.</summary>
public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

/// <summary>A user: the answer of <c>GET /api/auth/me</c> and each entry of <c>/api/users</c>.</summary>
public sealed record UserSummary(Guid Id, string Email, string Role, IReadOnlyList<Guid> CategoryIds);

/// <summary>Body of <c>POST /api/users</c>.</summary>
public sealed record CreateUserRequest(string? Email, string? Password, string? Role, IReadOnlyList<Guid>? CategoryIds);

/// <summary>Body of <c>PUT /api/users/{id}</c>.</summary>
public sealed record UpdateUserRequest(string? Role, IReadOnlyList<Guid>? CategoryIds);

/// <summary>Body of <c>POST /api/auth/password</c>.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>Body of <c>POST /api/auth/password-reset</c>: the user and token of a reset link, and the new password.</summary>
public sealed record ResetPasswordRequest(Guid? UserId, string? Token, string? NewPassword);

/// <summary>An admin's one-time password reset link (<c>POST /api/users/{id}/password-reset</c>); <c>Path</c> is the web
/// UI's <c>/reset-password?…</c> page.</summary>
public sealed record PasswordResetLink(Guid UserId, string Email, string Path, string Token, DateTimeOffset ExpiresAt);

/// <summary>Body of <c>POST /api/auth/keys</c>; no <see cref="ExpiresInDays"/> makes a key that does not expire.</summary>
public sealed record CreateApiKeyRequest(string? Name, int? ExpiresInDays);

/// <summary>A key just made, with its secret (<see cref="Key"/>), which the API shows this once.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string Key, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>An API key as <c>GET /api/auth/keys</c> lists it: no secret, its first characters to recognise it by.</summary>
public sealed record ApiKeySummary(Guid Id, Guid UserId, string Name, string Prefix, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt);
