using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Data;

namespace Veeky.Api.Identity;

/// <summary>
/// Accepts <c>Authorization: Bearer vk_…</c>: a stored, unexpired API key signs the request in as its user. Role and
/// categories are not part of the ticket; <see cref="CurrentUser"/> reads them from the database like for any token.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    VeekyDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>Names the key a request was signed in with (its id).</summary>
    public const string KeyIdClaim = "veeky:api_key";

    /// <summary>Last-used times are kept to the minute: one write per key per minute, not one per request.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ApiKeySecret.FromAuthorization(Request.Headers.Authorization.ToString()) is not { } key)
        {
            return AuthenticateResult.NoResult();
        }
        var hash = ApiKeySecret.Hash(key);
        var ct = Context.RequestAborted;
        var found = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash && db.Users.Any(u => u.Id == k.UserId))
            .Select(k => new { k.Id, k.UserId, k.ExpiresAt, k.LastUsedAt })
            .FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        if (found is null)
        {
            return AuthenticateResult.Fail("The API key is not valid: it was revoked, or never existed.");
        }
        if (found.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("The API key has expired.");
        }
        if (found.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUsedResolution)
        {
            var stale = now - LastUsedResolution;
            // Conditional, so of many concurrent requests only the first one writes.
            await db.ApiKeys.Where(k => k.Id == found.Id && (k.LastUsedAt == null || k.LastUsedAt <= stale))
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.LastUsedAt, now), ct);
        }
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, found.UserId.ToString()), new Claim(KeyIdClaim, found.Id.ToString())], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
