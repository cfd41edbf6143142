using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Identity;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class AuthEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Login_answers_a_bearer_token_a_refresh_token_and_its_lifetime()
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrEmpty(token.GetProperty("accessToken").GetString()));
        Assert.False(string.IsNullOrEmpty(token.GetProperty("refreshToken").GetString()));
        Assert.True(token.GetProperty("expiresIn").GetInt32() > 0);
    }

    [Fact]
    public async Task Login_with_a_wrong_password_is_a_401_problem()
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = "Wrong-Passw0rd!" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_even_for_the_right_password()
    {
        await api.CreateUserAsync("lockout@test.local", Roles.User);
        var anonymous = api.Anonymous();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "lockout@test.local", password = "Wrong-Passw0rd!" }, Ct);
        }

        var response = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "lockout@test.local", password = ApiFixture.Password }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("locked", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Refresh_exchanges_the_refresh_token_for_a_working_access_token()
    {
        var anonymous = api.Anonymous();
        var login = await (await anonymous.PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        var response = await anonymous.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Refresh_with_a_forged_token_is_401()
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "not-a-token" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Me_names_the_callers_role_and_categories()
    {
        var me = await api.Reader.Client.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);

        Assert.Equal(api.Reader.Id, me.GetProperty("id").GetGuid());
        Assert.Equal("reader@test.local", me.GetProperty("email").GetString());
        Assert.Equal(Roles.User, me.GetProperty("role").GetString());
        Assert.Equal([api.Visible], me.GetProperty("categoryIds").EnumerateArray().Select(e => e.GetGuid()).ToArray());
    }

    [Fact]
    public async Task Me_without_a_token_or_with_a_forged_one_is_401()
    {
        var forged = api.Anonymous();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "forged");

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/auth/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/auth/me", Ct)).StatusCode);
    }
}
