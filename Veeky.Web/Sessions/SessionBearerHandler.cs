using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;

namespace Veeky.Web.Sessions;

/// <summary>
/// Adds the signed-in session's access token to API calls made while serving a page, so the token stays on the
/// server. A request that already carries a token (right after login) is left alone.
/// </summary>
public sealed class SessionBearerHandler(IHttpContextAccessor httpContextAccessor) : DelegatingHandler
{
    /// <summary>Marks a call made without the session (login, refresh). Refresh runs while the cookie is being
    /// validated, so looking the session up again there would re-enter that validation.</summary>
    public static readonly HttpRequestOptionsKey<bool> WithoutSession = new("Veeky.WithoutSession");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var withoutSession = request.Options.TryGetValue(WithoutSession, out var flag) && flag;
        if (!withoutSession && request.Headers.Authorization is null && httpContextAccessor.HttpContext is { } context)
        {
            var token = await context.GetTokenAsync(WebSession.Scheme, WebSession.AccessToken);
            if (!string.IsNullOrEmpty(token))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
