using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary>
/// The sign-in sessions behind Veeky's own tokens: started by a login, rotated by each refresh (a refresh token works
/// once), revoked by sign-out or when an already-used refresh token comes back. Both tokens carry the session id, so
/// a revoked session also stops its access tokens at the next request (<see cref="CurrentUser"/>).
/// </summary>
public sealed class SignInSessions(VeekyDbContext db, IOptionsMonitor<BearerTokenOptions> bearerOptions, TimeProvider clock)
{
    /// <summary>Claim naming the session a token belongs to.</summary>
    public const string SessionClaim = "veeky:session";

    /// <summary>Claim naming which refresh token of the session this is (the access token carries it too, unused).</summary>
    public const string TokenClaim = "veeky:refresh-token";

    /// <summary>What became of a refresh token presented for rotation.</summary>
    public enum Rotation
    {
        /// <summary>It was the session's current token; a new one replaces it.</summary>
        Rotated,

        /// <summary>It had already been exchanged: someone holds a copy, so the session was revoked.</summary>
        Reused,

        /// <summary>The session was revoked or has expired.</summary>
        Ended,
    }

    private TimeSpan RefreshLifetime => bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenExpiration;

    /// <summary>Starts a session for a login and adds its claims to the principal the tokens are made from.</summary>
    public async Task StartAsync(ClaimsPrincipal principal, Guid userId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Expired sessions of this user go now: nothing else would ever delete them.
        await db.SignInSessions.Where(s => s.UserId == userId && s.ExpiresAt < now).ExecuteDeleteAsync(ct);
        var session = new SignInSession
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            CurrentTokenId = Guid.NewGuid(),
            CreatedAt = now,
            ExpiresAt = now + RefreshLifetime,
        };
        db.SignInSessions.Add(session);
        await db.SaveChangesAsync(ct);
        AddClaims(principal, session.Id, session.CurrentTokenId);
    }

    /// <summary>
    /// Exchanges the refresh token named by <paramref name="refreshTicket"/> for the next one of its session, adding
    /// the claims of the new one to <paramref name="principal"/> when it succeeds. Compare-and-swap in one statement,
    /// so of two requests racing with the same token only one wins and the other counts as reuse.
    /// </summary>
    public async Task<Rotation> RotateAsync(ClaimsPrincipal refreshTicket, ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!TryReadIds(refreshTicket, out var sessionId, out var tokenId))
        {
            // Issued before sessions existed: such tokens cannot be rotated safely, so the person signs in again.
            return Rotation.Ended;
        }
        var now = clock.GetUtcNow();
        var next = Guid.NewGuid();
        var expires = now + RefreshLifetime;
        var rotated = await db.SignInSessions
            .Where(s => s.Id == sessionId && s.CurrentTokenId == tokenId && s.RevokedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.CurrentTokenId, next).SetProperty(s => s.ExpiresAt, expires), ct);
        if (rotated == 1)
        {
            AddClaims(principal, sessionId, next);
            return Rotation.Rotated;
        }
        var revoked = await db.SignInSessions
            .Where(s => s.Id == sessionId && s.CurrentTokenId != tokenId && s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now).SetProperty(s => s.RevokedReason, SignInSession.TokenReused), ct);
        return revoked == 1 ? Rotation.Reused : Rotation.Ended;
    }

    /// <summary>Ends the session a refresh token belongs to (sign-out); false when the token names none.</summary>
    public async Task<bool> RevokeAsync(ClaimsPrincipal refreshTicket, CancellationToken ct)
    {
        if (!TryReadIds(refreshTicket, out var sessionId, out _))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        await db.SignInSessions
            .Where(s => s.Id == sessionId && s.RevokedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now).SetProperty(s => s.RevokedReason, SignInSession.SignedOut), ct);
        return true;
    }

    /// <summary>The session an access or refresh token belongs to, or null for tokens without one (external issuers).</summary>
    public static Guid? SessionOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionClaim), out var id) ? id : null;

    private static bool TryReadIds(ClaimsPrincipal principal, out Guid sessionId, out Guid tokenId)
    {
        tokenId = default;
        return Guid.TryParse(principal.FindFirstValue(SessionClaim), out sessionId)
            && Guid.TryParse(principal.FindFirstValue(TokenClaim), out tokenId);
    }

    private static void AddClaims(ClaimsPrincipal principal, Guid sessionId, Guid tokenId)
    {
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(SessionClaim, sessionId.ToString()));
        identity.AddClaim(new Claim(TokenClaim, tokenId.ToString()));
    }
}
