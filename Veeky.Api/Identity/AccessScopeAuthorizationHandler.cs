using Microsoft.AspNetCore.Authorization;

namespace Veeky.Api.Identity;

/// <summary>Checks <see cref="AccessScopeRequirement"/> against the role stored in the database, not a token claim.</summary>
public sealed class AccessScopeAuthorizationHandler(CurrentUser currentUser) : AuthorizationHandler<AccessScopeRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessScopeRequirement requirement)
    {
        var scope = await currentUser.FindScopeAsync();
        if (scope is not null && (requirement.Roles.Count == 0 || requirement.Roles.Contains(scope.Role)))
        {
            context.Succeed(requirement);
        }
    }
}
