using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary>Maps a validated external token to a local user by email, creating a plain <c>User</c> with no categories
/// on first sight (an admin then assigns categories), so the rest of the API only ever deals with local users.</summary>
public static class ExternalUserMapper
{
    private static readonly string[] EmailClaims = [ClaimTypes.Email, "email", "preferred_username", ClaimTypes.Upn, "upn"];

    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        if (context.Result is not null)
        {
            // A check before this one (Microsoft.Identity.Web's scope or role requirement) refused the token: no user for it.
            return;
        }
        var email = EmailClaims
            .Select(type => context.Principal?.FindFirstValue(type))
            .FirstOrDefault(value => value is not null && value.Contains('@'));
        if (email is null)
        {
            context.Fail("The external token carries no email claim to match a Veeky user with.");
            return;
        }

        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<VeekyUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
            user = new VeekyUser { UserName = email, Email = email, Role = Roles.User, CreatedAt = clock.GetUtcNow() };
            var created = await users.CreateAsync(user);
            if (!created.Succeeded)
            {
                context.Fail($"Could not create a local user for {email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
                return;
            }
        }

        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(ClaimTypes.Name, email),
                new Claim(ClaimTypes.Email, email),
            ],
            JwtBearerDefaults.AuthenticationScheme));
    }
}
