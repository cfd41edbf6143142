using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Startup;

/// <summary>Creates the first admin when no user exists (API.md): from <c>Veeky:BootstrapAdmin</c>, or
/// <c>admin@veeky.local</c> with a random password written to the log once, since nobody could sign in otherwise.</summary>
public sealed class BootstrapAdmin(
    VeekyDbContext db, UserManager<VeekyUser> users, IOptions<VeekyOptions> options, TimeProvider clock, ILogger<BootstrapAdmin> logger)
{
    public const string DefaultEmail = "admin@veeky.local";

    public async Task EnsureAsync(CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct))
        {
            return;
        }
        var configured = options.Value.BootstrapAdmin;
        var email = string.IsNullOrWhiteSpace(configured.Email) ? DefaultEmail : configured.Email.Trim();
        var generated = string.IsNullOrEmpty(configured.Password);
        var password = generated ? GeneratePassword() : configured.Password!;

        var admin = new VeekyUser { UserName = email, Email = email, EmailConfirmed = true, Role = Roles.Admin, CreatedAt = clock.GetUtcNow() };
        var result = await users.CreateAsync(admin, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not create the bootstrap admin {email} (Veeky:BootstrapAdmin): {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
        if (generated)
        {
            logger.LogWarning(
                "Created the first admin {Email} with the generated password {Password}. Sign in and keep it safe: it is not shown again.",
                email, password);
        }
        else
        {
            logger.LogInformation("Created the first admin {Email} from Veeky:BootstrapAdmin", email);
        }
    }

    /// <summary>24 random characters plus one of each class Identity's password rules ask for.</summary>
    private static string GeneratePassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y') + "aA1!";
}
