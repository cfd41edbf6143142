using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Identity.Web;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary>
/// Identity with bearer tokens issued by <c>/api/auth/login</c>, plus JWTs from Microsoft Entra ID when the
/// <c>AzureAd</c> section is set (Microsoft.Identity.Web) and from any other OpenID Connect issuer when
/// <c>Veeky:Auth:Authority</c> and <c>Audience</c> are set (JwtBearer). One policy scheme picks the handler by the
/// token's shape and, for JWTs, by their issuer.
/// </summary>
public static class ApiAuthentication
{
    /// <summary>The scheme endpoints authenticate with; it forwards to the Identity bearer or the JwtBearer handler.</summary>
    public const string Scheme = "Veeky";

    /// <summary>The Microsoft Entra ID handler (Microsoft.Identity.Web), configured by the <c>AzureAd</c> section.</summary>
    public const string EntraIdScheme = "EntraId";

    public static IHostApplicationBuilder AddVeekyAuthentication(this IHostApplicationBuilder builder)
    {
        var external = builder.Configuration.GetSection($"{VeekyOptions.Section}:Auth").Get<ExternalAuthOptions>() ?? new();
        var entra = EntraIdSettings.Read(builder.Configuration);

        var authentication = builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Veeky or external bearer token", options =>
                options.ForwardDefaultSelector = context =>
                    ApiKeySecret.FromAuthorization(context.Request.Headers.Authorization.ToString()) is not null
                        ? ApiKeyAuthenticationHandler.SchemeName
                        : IsJwt(context.Request.Headers.Authorization.ToString()) && ExternalScheme(context, entra, external) is { } jwtScheme
                        ? jwtScheme
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
        if (entra is not null)
        {
            // Microsoft.Identity.Web validates Entra's tokens its way (v1 and v2 issuers of the tenant, the client id or
            // its api:// URI as audience, a scope or app role required) and calls the mapper after its own checks.
            authentication.AddMicrosoftIdentityWebApi(
                options =>
                {
                    builder.Configuration.GetSection(EntraIdSettings.Section).Bind(options);
                    options.Events = new JwtBearerEvents { OnTokenValidated = ExternalUserMapper.OnTokenValidatedAsync };
                },
                identity => builder.Configuration.GetSection(EntraIdSettings.Section).Bind(identity),
                EntraIdScheme);
        }

        // Bearer tokens are encrypted with the key ring the UI's cookies use too.
        builder.AddVeekyDataProtection();
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

    /// <summary>Which handler validates a JWT: Entra ID's for tokens its instance issued (or any, when it is the only
    /// external issuer), the OIDC issuer's otherwise; null when no external issuer is configured. The issuer is read
    /// unvalidated only to pick the handler, which then validates everything.</summary>
    private static string? ExternalScheme(HttpContext context, EntraIdSettings? entra, ExternalAuthOptions external)
    {
        if (entra is null)
        {
            return external.IsEnabled ? JwtBearerDefaults.AuthenticationScheme : null;
        }
        if (!external.IsEnabled)
        {
            return EntraIdScheme;
        }
        var token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var issuer = handler.CanReadToken(token) ? handler.ReadJsonWebToken(token).Issuer : null;
        return entra.Issues(issuer) ? EntraIdScheme : JwtBearerDefaults.AuthenticationScheme;
    }

    /// <summary>A JWT is three base64url parts joined by dots; Identity's own tokens contain no dot.</summary>
    private static bool IsJwt(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && authorization.AsSpan("Bearer ".Length).Count('.') == 2;
}
