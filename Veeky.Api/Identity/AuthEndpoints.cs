using System.Globalization;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Veeky.Contracts;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary><c>/api/auth</c>: sign in with email and password, refresh the token, sign out, and who am I.</summary>
public static class AuthEndpoints
{
    /// <summary>The one answer to every failed sign-in: which part was wrong, or whether the account exists, is not told.</summary>
    public const string SignInFailed = "The email or password is not correct.";

    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithName("Login").WithSummary("Exchanges email and password for a bearer token and a refresh token.");
        group.MapPost("/refresh", RefreshAsync).AllowAnonymous()
            .WithName("RefreshToken").WithSummary("Exchanges a refresh token, once, for a new bearer token and refresh token.");
        group.MapPost("/logout", LogoutAsync).AllowAnonymous()
            .WithName("Logout").WithSummary("Ends the sign-in session of a refresh token: it and the session's access tokens stop working.");
        group.MapGet("/me", MeAsync).RequireAuthorization()
            .WithName("Me").WithSummary("The signed-in user, their role and categories.");
        return group;
    }

    // The bearer handler writes the token response itself on sign-in, as MapIdentityApi does.
    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> LoginAsync(
        LoginRequest login, HttpContext context, SignInManager<VeekyUser> signInManager, SignInSessions sessions, SignInThrottle throttle)
    {
        if (throttle.Refusal(context) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem($"Too many failed sign-ins from your address. Try again in {seconds} seconds.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Sign-in paused");
        }

        var password = login.Password ?? "";
        var user = string.IsNullOrWhiteSpace(login.Email) ? null : await signInManager.UserManager.FindByEmailAsync(login.Email);
        if (user is null)
        {
            // Hash anyway, so an unknown email takes as long to refuse as a wrong password.
            VerifyAgainstDummy(signInManager.UserManager.PasswordHasher, password);
        }
        else if ((await signInManager.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false)).Succeeded)
        {
            var principal = await signInManager.CreateUserPrincipalAsync(user);
            await sessions.StartAsync(principal, user.Id, context.RequestAborted);
            return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
        }
        throttle.RecordFailure(context);
        return TypedResults.Problem(SignInFailed, statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed");
    }

    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> RefreshAsync(
        RefreshRequest refresh, SignInManager<VeekyUser> signInManager, SignInSessions sessions,
        IOptionsMonitor<BearerTokenOptions> bearerOptions, TimeProvider clock, CancellationToken ct)
    {
        var protector = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
        var ticket = string.IsNullOrEmpty(refresh.RefreshToken) ? null : protector.Unprotect(refresh.RefreshToken);
        // A refresh token stops working when it expires or when the user's security stamp changed (password, deletion).
        if (ticket?.Properties.ExpiresUtc is not { } expires
            || clock.GetUtcNow() >= expires
            || await signInManager.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
        {
            return RefreshFailed("The refresh token is not valid or has expired; sign in again.");
        }
        var principal = await signInManager.CreateUserPrincipalAsync(user);
        return await sessions.RotateAsync(ticket.Principal, principal, ct) switch
        {
            SignInSessions.Rotation.Rotated => TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme),
            SignInSessions.Rotation.Reused => RefreshFailed(
                "The refresh token was already used, so its session has been ended in case it was copied; sign in again."),
            _ => RefreshFailed("The session of this refresh token has ended; sign in again."),
        };
    }

    /// <summary>Token revocation as RFC 7009 answers it: the same 204 whether or not the token was still good.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> LogoutAsync(
        RefreshRequest logout, SignInSessions sessions, IOptionsMonitor<BearerTokenOptions> bearerOptions, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(logout.RefreshToken))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["refreshToken"] = ["The refresh token of the session to end is required."],
            });
        }
        var ticket = bearerOptions.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(logout.RefreshToken);
        if (ticket is not null)
        {
            await sessions.RevokeAsync(ticket.Principal, ct);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Ok<UserSummary>> MeAsync(CurrentUser currentUser, UserManager<VeekyUser> users, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var user = await users.FindByIdAsync(scope.UserId.ToString());
        return TypedResults.Ok(new UserSummary(scope.UserId, user?.Email ?? "", scope.Role, scope.CategoryIds.Order().ToList()));
    }

    private static ProblemHttpResult RefreshFailed(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Refresh failed");

    private static string? dummyHash;

    private static void VerifyAgainstDummy(IPasswordHasher<VeekyUser> hasher, string password)
    {
        var user = new VeekyUser();
        dummyHash ??= hasher.HashPassword(user, Guid.NewGuid().ToString());
        hasher.VerifyHashedPassword(user, dummyHash, password);
    }
}
