using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The identity provider whose public signing key the host is given.</summary>
    private readonly TestTokenIssuer _issuer = new(Issuer, keyId: "test-key");

    public string CreateToken(string email, string issuer = Issuer, string audience = Audience) =>
        _issuer.CreateToken(audience, [new Claim("email", email)], signedAs: issuer);

    protected override void ConfigureTestServices(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, _issuer.TrustIn));
}
