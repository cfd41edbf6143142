using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Veeky.Web.Api;

namespace Veeky.Web.Sessions;

/// <summary>
/// Keeps a session's access token fresh: on each request whose token expires within <see cref="Margin"/>, trades the
/// refresh token for new tokens and renews the cookie; when the API refuses the refresh, the session ends and the
/// person signs in again.
/// </summary>
public static class SessionTokenRefresher
{
    /// <summary>Refresh a little early so a token does not expire between this check and the API call.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var expiresAt = context.Properties.GetTokenValue(WebSession.ExpiresAt);
        if (DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expiry)
            && expiry - Margin > time.GetUtcNow())
        {
            return;
        }

        var refreshToken = context.Properties.GetTokenValue(WebSession.RefreshToken);
        var api = context.HttpContext.RequestServices.GetRequiredService<VeekyApiClient>();
        var tokens = string.IsNullOrEmpty(refreshToken) ? null : await api.RefreshAsync(refreshToken, context.HttpContext.RequestAborted);
        if (tokens is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(WebSession.Scheme);
            return;
        }
        SessionSignIn.StoreTokens(context.Properties, tokens, time);
        context.ShouldRenew = true;
    }
}
