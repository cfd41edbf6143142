using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// An identity provider the test plays: it holds an RSA signing key, mints the JWTs the provider would issue, and tells
/// a JwtBearer scheme to trust them with metadata given instead of fetched, so no test needs the network.
/// </summary>
public sealed class TestTokenIssuer(string issuer, string keyId)
{
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = keyId };

    public string Issuer => issuer;

    /// <summary>A token valid for ten minutes for a new subject with <paramref name="claims"/>; a different
    /// <paramref name="signedAs"/> issuer claim is how a test forges one from elsewhere with the right key.</summary>
    public string CreateToken(string audience, IEnumerable<Claim> claims, string? signedAs = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = signedAs ?? issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", Guid.NewGuid().ToString()), .. claims]),
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
        });

    /// <summary>The issuer's metadata and signing key, given to <paramref name="options"/> instead of fetched from
    /// the authority; everything else (audience, lifetime) stays the handler's own check.</summary>
    public void TrustIn(JwtBearerOptions options)
    {
        options.Configuration = new OpenIdConnectConfiguration { Issuer = issuer };
        options.TokenValidationParameters.IssuerSigningKey = _key;
        options.TokenValidationParameters.ValidIssuer = issuer;
    }
}
