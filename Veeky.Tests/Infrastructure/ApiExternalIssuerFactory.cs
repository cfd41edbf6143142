using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// An API host configured for an external OIDC issuer (<c>Veeky:Auth:Authority</c>/<c>Audience</c>) whose signing key
/// the test holds, so it can mint the JWTs an identity provider such as Entra ID would issue, without the network.
/// </summary>
public sealed class ApiExternalIssuerFactory() : ApiFactory(settings: new Dictionary<string, string?>
{
    ["Veeky:Auth:Authority"] = Issuer,
    ["Veeky:Auth:Audience"] = Audience,
})
{
    public const string Issuer = "https://login.example.test/tenant/v2.0";
    public const string Audience = "api://veeky";

    /// <summary>An RSA key as identity providers sign with; the host gets its public half as the issuer's signing key.</summary>
    private readonly RsaSecurityKey _key = new(System.Security.Cryptography.RSA.Create(2048)) { KeyId = "test-key" };

    public string CreateToken(string email, string issuer = Issuer, string audience = Audience) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", Guid.NewGuid().ToString()), new Claim("email", email)]),
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });

    protected override void ConfigureTestServices(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                // The issuer's metadata, given instead of fetched from the authority.
                options.Configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                options.TokenValidationParameters.IssuerSigningKey = _key;
                options.TokenValidationParameters.ValidIssuer = Issuer;
            }));
}
