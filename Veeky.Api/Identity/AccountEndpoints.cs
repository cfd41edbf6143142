using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary>
/// A person's own account: change the password, sign out everywhere, and set a new password through the one-time
/// reset link an admin made for them (<c>POST /api/users/{id}/password-reset</c>; no email is sent, the admin hands
/// the link over). A new password ends the user's other sign-in sessions, so an old one in someone else's hands stops.
/// </summary>
public static class AccountEndpoints
{
    /// <summary>Why sessions ended, as <see cref="SignInSession.RevokedReason"/> records it.</summary>
    public const string SignedOutEverywhere = "signed-out-everywhere";
    public const string PasswordChanged = "password-changed";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder routes)
    {
        var account = routes.MapGroup("/api/auth").WithTags("Auth");
        account.MapPost("/password", ChangePasswordAsync).RequireAuthorization()
            .WithName("ChangePassword").WithSummary("Changes the caller's password and ends their other sign-in sessions.");
        account.MapPost("/sessions/end-all", EndAllSessionsAsync).RequireAuthorization()
            .WithName("SignOutEverywhere").WithSummary("Ends every sign-in session of the caller, this one included.");
        account.MapPost("/password-reset", ResetPasswordAsync).AllowAnonymous()
            .WithName("ResetPassword").WithSummary("Sets a new password with a one-time reset token an admin made.");
        routes.MapPost("/api/users/{id:guid}/password-reset", CreateResetAsync).WithTags("Users").RequireAuthorization(ApiPolicies.Admin)
            .WithName("CreatePasswordReset").WithSummary("A one-time link for the user to set a new password (shown to the admin; no email).");
        return routes;
    }

    public static async Task<Results<NoContent, ValidationProblem>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext context, CurrentUser currentUser, UserManager<VeekyUser> users, VeekyDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var user = await users.FindByIdAsync(scope.UserId.ToString());
        if (user is null || !await users.HasPasswordAsync(user))
        {
            return Invalid("currentPassword", "This account signs in through your organisation and has no Veeky password.");
        }
        if (string.IsNullOrEmpty(request.NewPassword))
        {
            return Invalid("newPassword", "A new password is required.");
        }
        if (string.IsNullOrEmpty(request.CurrentPassword) || !await users.CheckPasswordAsync(user, request.CurrentPassword))
        {
            return Invalid("currentPassword", "The current password is not correct.");
        }
        var changed = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        if (!changed.Succeeded)
        {
            return Invalid("newPassword", string.Join(" ", changed.Errors.Select(e => e.Description)));
        }
        await EndSessionsAsync(db, user.Id, except: SignInSessions.SessionOf(context.User), PasswordChanged, clock, ct);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> EndAllSessionsAsync(CurrentUser currentUser, VeekyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        await EndSessionsAsync(db, scope.UserId, except: null, SignedOutEverywhere, clock, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<PasswordResetLink>, NotFound>> CreateResetAsync(
        Guid id, UserManager<VeekyUser> users, TimeProvider clock, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null)
        {
            return TypedResults.NotFound();
        }
        // Identity's token carries the user's security stamp, which the reset changes: the link works once.
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var path = $"/reset-password?user={user.Id}&token={Uri.EscapeDataString(token)}";
        return TypedResults.Created((string?)null, new PasswordResetLink(user.Id, user.Email ?? "", path, token, clock.GetUtcNow() + ResetLinkLifetime));
    }

    public static async Task<Results<NoContent, ValidationProblem>> ResetPasswordAsync(
        ResetPasswordRequest request, UserManager<VeekyUser> users, VeekyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        const string NotValid = "This reset link is not valid: it was used already, has expired, or was changed. Ask an admin for a new one.";
        if (string.IsNullOrEmpty(request.NewPassword))
        {
            return Invalid("newPassword", "A new password is required.");
        }
        var user = request.UserId is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        if (user is null || string.IsNullOrEmpty(request.Token))
        {
            return Invalid("token", NotValid);
        }
        var reset = await users.ResetPasswordAsync(user, request.Token, request.NewPassword);
        if (!reset.Succeeded)
        {
            return reset.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? Invalid("token", NotValid)
                : Invalid("newPassword", string.Join(" ", reset.Errors.Select(e => e.Description)));
        }
        await EndSessionsAsync(db, user.Id, except: null, PasswordChanged, clock, ct);
        return TypedResults.NoContent();
    }

    /// <summary>How long an admin's reset link works: Identity's data-protection token lifespan (its default, one day).</summary>
    private static readonly TimeSpan ResetLinkLifetime = new DataProtectionTokenProviderOptions().TokenLifespan;

    private static async Task EndSessionsAsync(VeekyDbContext db, Guid userId, Guid? except, string reason, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.SignInSessions
            .Where(s => s.UserId == userId && s.RevokedAt == null && (except == null || s.Id != except))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RevokedAt, now).SetProperty(s => s.RevokedReason, reason), ct);
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
