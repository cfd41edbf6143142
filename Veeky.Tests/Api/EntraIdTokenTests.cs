using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Identity;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>Microsoft Entra ID access tokens through Microsoft.Identity.Web (the <c>AzureAd</c> section), beside
/// another OIDC issuer's tokens through JwtBearer and Veeky's own tokens.</summary>
public sealed class EntraIdTokenTests(ApiEntraIdFactory factory) : IClassFixture<ApiEntraIdFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_Entra_ID_token_with_a_scope_signs_in_as_a_local_user_with_that_email()
    {
        var me = await Client(factory.CreateEntraToken("ada@contoso.test")).GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);

        Assert.Equal("ada@contoso.test", me.GetProperty("email").GetString());
        Assert.Equal(Roles.User, me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_v1_Entra_ID_token_for_the_api_uri_of_the_client_id_is_accepted_too()
    {
        var me = await Client(factory.CreateEntraToken("grace@contoso.test", version: "1.0")).GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);

        Assert.Equal("grace@contoso.test", me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task An_Entra_ID_token_without_a_scope_or_role_is_401_and_makes_no_user()
    {
        var response = await Client(factory.CreateEntraToken("noscope@contoso.test", scope: null)).GetAsync("/api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.NormalizedEmail == "NOSCOPE@CONTOSO.TEST", Ct));
    }

    [Fact]
    public async Task An_Entra_ID_token_for_another_application_is_401()
    {
        var response = await Client(factory.CreateEntraToken("ada@contoso.test", audience: Guid.NewGuid().ToString())).GetAsync("/api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Beside_Entra_ID_the_other_issuer_s_tokens_and_Veeky_s_own_still_work()
    {
        var oidc = await Client(factory.CreateOidcToken("kc@partner.test")).GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);
        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);
        var own = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;

        Assert.Equal("kc@partner.test", oidc.GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client(own).GetAsync("/api/auth/me", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("ClientId")]
    [InlineData("TenantId")]
    public async Task An_AzureAd_section_without_its_tenant_or_client_id_stops_the_host_naming_the_setting(string missing)
    {
        var settings = new Dictionary<string, string?> { ["AzureAd:TenantId"] = ApiEntraIdFactory.TenantId, ["AzureAd:ClientId"] = ApiEntraIdFactory.ClientId };
        settings.Remove($"AzureAd:{missing}");
        await using var host = new ApiFactory(settings: settings);

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        var cause = error is AggregateException { InnerException: { } inner } ? inner : error;
        Assert.Contains($"AzureAd:{missing} must be set to accept Microsoft Entra ID tokens", cause.Message);
    }

    private HttpClient Client(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
