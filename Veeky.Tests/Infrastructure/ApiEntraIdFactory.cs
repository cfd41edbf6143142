using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Api.Identity;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// An API host accepting Microsoft Entra ID tokens (the <c>AzureAd</c> section, Microsoft.Identity.Web) and another
/// OIDC issuer's (<c>Veeky:Auth</c>, JwtBearer) side by side. The test holds both issuers' RSA signing keys, so it mints
/// the tokens they would issue without the network: the tenant's metadata and keys are given to the handlers instead
/// of fetched, everything else (audiences, lifetimes, Identity.Web's scope requirement) is the libraries' own.
/// </summary>
public sealed class ApiEntraIdFactory() : ApiFactory(settings: new Dictionary<string, string?>
{
    ["AzureAd:Instance"] = "https://login.microsoftonline.com/",
    ["AzureAd:TenantId"] = TenantId,
    ["AzureAd:ClientId"] = ClientId,
    ["Veeky:Auth:Authority"] = OidcIssuer,
    ["Veeky:Auth:Audience"] = OidcAudience,
})
{
    public const string TenantId = "8d5b5f4a-0c0b-4a4e-9d7e-2f1f6d1a9c11";
    public const string ClientId = "3f9b0a52-6c3e-4b9a-8f11-5a2d7c0e4b21";
    public const string EntraIssuer = $"https://login.microsoftonline.com/{TenantId}/v2.0";
    public const string EntraV1Issuer = $"https://sts.windows.net/{TenantId}/";
    public const string OidcIssuer = "https://keycloak.example.test/realms/veeky";
    public const string OidcAudience = "veeky-api";

    private readonly TestTokenIssuer _entra = new(EntraIssuer, keyId: "entra");
    private readonly TestTokenIssuer _oidc = new(OidcIssuer, keyId: "oidc");

    /// <summary>An access token as Entra ID issues it for this API: v2.0 (the client id as audience) or v1.0 (the
    /// <c>api://</c> URI as audience, the <c>sts.windows.net</c> issuer), with a scope unless told otherwise.</summary>
    public string CreateEntraToken(string email, string? audience = null, string? scope = "access_as_user", string version = "2.0") =>
        _entra.CreateToken(audience ?? (version == "1.0" ? $"api://{ClientId}" : ClientId),
            [new Claim("preferred_username", email), new Claim("tid", TenantId), new Claim("ver", version),
             .. scope is null ? Array.Empty<Claim>() : [new Claim("scp", scope)]],
            signedAs: version == "1.0" ? EntraV1Issuer : null);

    public string CreateOidcToken(string email) => _oidc.CreateToken(OidcAudience, [new Claim("preferred_username", email)]);

    protected override void ConfigureTestServices(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
        {
            services.PostConfigure<JwtBearerOptions>(ApiAuthentication.EntraIdScheme, options =>
            {
                // The tenant's metadata and signing key, given instead of fetched from login.microsoftonline.com.
                _entra.TrustIn(options);
                // Identity.Web's issuer validator reads the tenant's issuer templates from the network; the issuer
                // check stays, against this tenant's v2.0 and v1.0 issuers.
                options.TokenValidationParameters.IssuerValidator = null;
                options.TokenValidationParameters.ValidIssuers = [EntraIssuer, EntraV1Issuer];
            });
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, _oidc.TrustIn);
        });
}
