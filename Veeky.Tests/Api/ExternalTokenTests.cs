using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Identity;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>External OIDC access tokens (JwtBearer) beside Veeky's own bearer tokens.</summary>
public sealed class ExternalTokenTests(ApiExternalIssuerFactory factory) : IClassFixture<ApiExternalIssuerFactory>
{
    private readonly ApiExternalIssuerFactory _factory = factory;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_external_user_becomes_a_local_user_with_no_categories()
    {
        var client = Client(_factory.CreateToken("someone@partner.test"));

        var me = await client.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);

        Assert.Equal("someone@partner.test", me.GetProperty("email").GetString());
        Assert.Equal(Roles.User, me.GetProperty("role").GetString());
        Assert.Equal(0, me.GetProperty("categoryIds").GetArrayLength());
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>("/api/categories", Ct) ?? []);
    }

    [Fact]
    public async Task An_external_token_maps_to_the_existing_user_with_that_email()
    {
        var me = await Client(_factory.CreateToken(ApiFactory.AdminEmail.ToUpperInvariant())).GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);

        Assert.Equal(Roles.Admin, me.GetProperty("role").GetString());
        await using var db = _factory.CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync(u => u.NormalizedEmail == ApiFactory.AdminEmail.ToUpperInvariant(), Ct));
    }

    [Fact]
    public async Task Tokens_for_another_audience_or_issuer_are_401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Client(_factory.CreateToken("a@partner.test", audience: "api://other")).GetAsync("/api/auth/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Client(_factory.CreateToken("a@partner.test", issuer: "https://evil.test")).GetAsync("/api/auth/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Veekys_own_tokens_still_work_when_external_tokens_are_enabled()
    {
        var login = await _factory.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await Client(token).GetAsync("/api/auth/me", Ct)).StatusCode);
    }

    private HttpClient Client(string token)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
