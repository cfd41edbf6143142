namespace Veeky.Identity;

/// <summary>
/// One sign-in and the family of refresh tokens it has issued. Only <see cref="CurrentTokenId"/> may be exchanged;
/// presenting an older token of the family means it was copied, so the whole family is revoked (OAuth 2.0 Security
/// Best Current Practice, refresh token rotation). Access tokens name their session, so revoking it (sign-out,
/// reuse) also ends them before they expire.
/// </summary>
public sealed class SignInSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }

    /// <summary>The one refresh token of this family that is still good; each refresh replaces it.</summary>
    public Guid CurrentTokenId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the current refresh token expires; the row may be deleted after that.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Why it was revoked: <see cref="SignedOut"/> or <see cref="TokenReused"/>.</summary>
    public string? RevokedReason { get; set; }

    public const string SignedOut = "signed-out";
    public const string TokenReused = "token-reused";
}
