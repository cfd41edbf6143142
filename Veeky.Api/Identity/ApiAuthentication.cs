using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary>
/// Identity with bearer tokens issued by <c>/api/auth/login</c>, plus JWTs from an external OIDC issuer when
/// <c>Veeky:Auth:Authority</c> and <c>Audience</c> are set. One policy scheme picks the handler by the token's shape.
/// </summary>
public static class ApiAuthentication
{
    /// <summary>The scheme endpoints authenticate with; it forwards to the Identity bearer or the JwtBearer handler.</summary>
    public const string Scheme = "Veeky";

    public static IHostApplicationBuilder AddVeekyAuthentication(this IHostApplicationBuilder builder)
    {
        var external = builder.Configuration.GetSection($"{VeekyOptions.Section}:Auth").Get<ExternalAuthOptions>() ?? new();

        var authentication = builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Veeky or external bearer token", options =>
                options.ForwardDefaultSelector = context =>
                    ApiKeySecret.FromAuthorization(context.Request.Headers.Authorization.ToString()) is not null
                        ? ApiKeyAuthenticationHandler.SchemeName
                        : external.IsEnabled && IsJwt(context.Request.Headers.Authorization.ToString())
                        ? JwtBearerDefaults.AuthenticationScheme
                        : IdentityConstants.BearerScheme)
            .AddBearerToken(IdentityConstants.BearerScheme);
        authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (external.IsEnabled)
        {
            authentication.AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                options.Authority = external.Authority;
                options.Audience = external.Audience;
                options.Events = new JwtBearerEvents { OnTokenValidated = ExternalUserMapper.OnTokenValidatedAsync };
            });
        }

        // Keys live with the data, so tokens survive a restart and a moved data folder; "Veeky" lets every host share them.
        var dataDirectory = builder.Configuration[$"{VeekyOptions.Section}:DataDirectory"] ?? "data";
        builder.Services.AddDataProtection()
            .SetApplicationName("Veeky")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(dataDirectory), "keys")));
        builder.Services.AddIdentityCore<VeekyUser>(options =>
            {
                // Identity's defaults (a digit, upper and lower case, a symbol) with a longer minimum length.
                options.Password.RequiredLength = 8;
                options.User.RequireUniqueEmail = true;
                // No account lockout: it let anyone lock any account, the admin's too. SignInThrottle slows guessing
                // per client address instead.
                options.Lockout.AllowedForNewUsers = false;
            })
            .AddEntityFrameworkStores<VeekyDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        builder.Services.AddScoped<SignInSessions>();
        builder.AddValidatedOptions<SignInThrottleOptions>(SignInThrottleOptions.Section);
        builder.Services.AddSingleton<SignInThrottle>();

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CurrentUser>();
        builder.Services.AddScoped<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, AccessScopeAuthorizationHandler>();
        builder.Services.AddAuthorization(ApiPolicies.Add);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, UnknownUserChallengeHandler>();
        return builder;
    }

    /// <summary>A JWT is three base64url parts joined by dots; Identity's own tokens contain no dot.</summary>
    private static bool IsJwt(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && authorization.AsSpan("Bearer ".Length).Count('.') == 2;
}
