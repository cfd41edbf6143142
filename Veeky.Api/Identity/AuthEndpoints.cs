using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary><c>/api/auth</c>: sign in with email and password, refresh the token, and who am I.</summary>
public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithName("Login").WithSummary("Exchanges email and password for a bearer token and a refresh token.");
        group.MapPost("/refresh", RefreshAsync).AllowAnonymous()
            .WithName("RefreshToken").WithSummary("Exchanges a refresh token for a new bearer token.");
        group.MapGet("/me", MeAsync).RequireAuthorization()
            .WithName("Me").WithSummary("The signed-in user, their role and categories.");
        return group;
    }

    // The sign-in manager writes the token response itself (BearerTokenHandler), as MapIdentityApi does.
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> LoginAsync(
        LoginRequest login, SignInManager<VeekyUser> signInManager)
    {
        signInManager.AuthenticationScheme = IdentityConstants.BearerScheme;
        var result = await signInManager.PasswordSignInAsync(login.Email ?? "", login.Password ?? "", isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return TypedResults.Empty;
        }
        var detail = result.IsLockedOut
            ? "Too many failed sign-in attempts: the account is locked for a few minutes."
            : "The email or password is not correct.";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
    }

    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> RefreshAsync(
        RefreshRequest refresh, SignInManager<VeekyUser> signInManager,
        IOptionsMonitor<BearerTokenOptions> bearerOptions, TimeProvider clock)
    {
        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = string.IsNullOrEmpty(refresh.RefreshToken) ? null : protector.Unprotect(refresh.RefreshToken);
        // A refresh token stops working when it expires or when the user's security stamp changed (password, deletion).
        if (ticket?.Properties.ExpiresUtc is not { } expires
            || clock.GetUtcNow() >= expires
            || await signInManager.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return TypedResults.Problem("The refresh token is not valid or has expired; sign in again.",
                statusCode: StatusCodes.Status401Unauthorized, title: "Refresh failed");
        }
        var principal = await signInManager.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    public static async Task<Ok<UserResponse>> MeAsync(CurrentUser currentUser, UserManager<VeekyUser> users, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var user = await users.FindByIdAsync(scope.UserId.ToString());
        return TypedResults.Ok(new UserResponse(scope.UserId, user?.Email ?? "", scope.Role, scope.CategoryIds.Order().ToList()));
    }
}

/// <summary>Body of <c>POST /api/auth/login</c>.</summary>
public sealed record LoginRequest(string? Email, string? Password);

/// <summary>Body of <c>POST /api/auth/refresh</c>.</summary>
public sealed record RefreshRequest(string? RefreshToken);
