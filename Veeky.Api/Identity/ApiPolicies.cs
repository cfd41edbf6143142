using Microsoft.AspNetCore.Authorization;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary>Authorization policy names. Every policy needs a bearer token of a user that still exists.</summary>
public static class ApiPolicies
{
    /// <summary>Any signed-in user (the default policy).</summary>
    public const string Reader = "Reader";
    public const string Editor = "Editor";
    public const string Admin = "Admin";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Reader, Build());
        options.AddPolicy(Editor, Build(Roles.Editor, Roles.Admin));
        options.AddPolicy(Admin, Build(Roles.Admin));
        options.DefaultPolicy = options.GetPolicy(Reader)!;
    }

    private static AuthorizationPolicy Build(params string[] roles) =>
        new AuthorizationPolicyBuilder(ApiAuthentication.Scheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new AccessScopeRequirement(roles))
            .Build();
}
