using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Web.Sessions;

/// <summary>Signs a person in through the API's login and keeps the tokens in the session cookie's ticket.</summary>
public sealed class SessionSignIn(VeekyApiClient api, TimeProvider time, ILogger<SessionSignIn> logger)
{
    /// <summary>False when the API refuses the credentials; the cookie is written only on success.</summary>
    public async Task<bool> SignInAsync(HttpContext context, string email, string password, CancellationToken ct = default)
    {
        var tokens = await api.LoginAsync(email, password, context.Connection.RemoteIpAddress, ct);
        if (tokens is null)
        {
            return false;
        }
        var user = await api.GetMeAsync(tokens.AccessToken, ct);

        var identity = new ClaimsIdentity(WebSession.Scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Email));
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        foreach (var categoryId in user.CategoryIds)
        {
            identity.AddClaim(new Claim(WebSession.CategoryClaim, categoryId.ToString()));
        }

        var properties = new AuthenticationProperties();
        StoreTokens(properties, tokens, time);
        await context.SignInAsync(WebSession.Scheme, new ClaimsPrincipal(identity), properties);
        return true;
    }

    /// <summary>Forgets the session in this browser only: for a session the API has already ended.</summary>
    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(WebSession.Scheme);

    /// <summary>
    /// Signing out: the API ends the session, so its tokens stop working even in a copy of the cookie, then the cookie
    /// goes. When the API cannot be reached the cookie still goes, and the session ends when its refresh token expires.
    /// </summary>
    public async Task SignOutAsync(HttpContext context, AuthenticationProperties session)
    {
        if (session.GetTokenValue(WebSession.RefreshToken) is { Length: > 0 } refreshToken)
        {
            try
            {
                await api.LogoutAsync(refreshToken, context.RequestAborted);
            }
            catch (Exception e) when (e is HttpRequestException or ApiException)
            {
                logger.LogWarning(e, "The API did not end the sign-in session; its tokens stay valid until they expire");
            }
        }
        await SignOutAsync(context);
    }

    /// <summary>Writes the tokens into the ticket; expiry is absolute so a refresh is due before the API refuses.</summary>
    public static void StoreTokens(AuthenticationProperties properties, TokenResponse tokens, TimeProvider time)
    {
        var expiresAt = time.GetUtcNow().AddSeconds(tokens.ExpiresIn);
        properties.StoreTokens(
        [
            new AuthenticationToken { Name = WebSession.AccessToken, Value = tokens.AccessToken },
            new AuthenticationToken { Name = WebSession.RefreshToken, Value = tokens.RefreshToken },
            new AuthenticationToken { Name = WebSession.ExpiresAt, Value = expiresAt.ToString("o", CultureInfo.InvariantCulture) },
        ]);
    }
}
