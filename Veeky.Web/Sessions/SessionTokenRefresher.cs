using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Veeky.Contracts;
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
        var tokens = string.IsNullOrEmpty(refreshToken) ? null : await RefreshOnceAsync(context.HttpContext.RequestServices, refreshToken);
        if (tokens is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(WebSession.Scheme);
            return;
        }
        SessionSignIn.StoreTokens(context.Properties, tokens, time);
        context.ShouldRenew = true;
    }

    /// <summary>How long the answer to one refresh token is kept for the other requests that carried it.</summary>
    public static readonly TimeSpan SharedFor = TimeSpan.FromMinutes(1);

    private static readonly Lock CreateGate = new();

    /// <summary>
    /// A refresh token works once (the API rotates it and treats a second use as theft, ending the session). A page
    /// opens several requests at once (its assets, the live event stream, search fragments), all carrying the same
    /// cookie: they share one refresh call and its answer instead of each spending the token.
    /// </summary>
    private static async Task<TokenResponse?> RefreshOnceAsync(IServiceProvider services, string refreshToken)
    {
        var cache = services.GetRequiredService<IMemoryCache>();
        var api = services.GetRequiredService<VeekyApiClient>();
        var key = (typeof(SessionTokenRefresher), refreshToken);
        Lazy<Task<TokenResponse?>> shared;
        // IMemoryCache.GetOrCreate is not atomic: two racing requests could each store their own call and spend the
        // token twice, which the API answers by ending the session. Creating the entry under a lock makes it one call.
        lock (CreateGate)
        {
            shared = cache.GetOrCreate(key, entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = SharedFor;
                // Not tied to one request's abort: the others wait on the same call.
                return new Lazy<Task<TokenResponse?>>(() => api.RefreshAsync(refreshToken, CancellationToken.None));
            })!;
        }
        try
        {
            return await shared.Value;
        }
        catch
        {
            // The API could not be asked (unreachable): the next request tries again rather than reading this failure.
            cache.Remove(key);
            throw;
        }
    }
}
