using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Veeky.Api.Identity;

/// <summary>Answers 401 instead of 403 when a valid token belongs to a user who no longer exists, so clients sign in
/// again rather than conclude they lack a permission.</summary>
public sealed class UnknownUserChallengeHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && await context.RequestServices.GetRequiredService<CurrentUser>().FindScopeAsync(context.RequestAborted) is null)
        {
            authorizeResult = PolicyAuthorizationResult.Challenge();
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
