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
    public async Task Wrong_passwords_never_lock_the_account_its_owner_signs_in_from_elsewhere()
    {
        await api.CreateUserAsync("target@test.local", Roles.User);
        var attacker = ClientAt("198.51.100.20");
        for (var i = 0; i < 12; i++)
        {
            await attacker.PostAsJsonAsync("/api/auth/login", new { email = "target@test.local", password = "Wrong-Passw0rd!" }, Ct);
        }

        var owner = await ClientAt("198.51.100.21").PostAsJsonAsync("/api/auth/login", new { email = "target@test.local", password = ApiFixture.Password }, Ct);

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task Failed_sign_ins_are_throttled_per_client_address_with_a_429_and_retry_after()
    {
        var client = ClientAt("198.51.100.30");
        for (var i = 0; i < 10; i++)
        {
            var failed = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiFactory.AdminEmail, password = "Wrong-Passw0rd!" }, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        var paused = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, paused.StatusCode);
        Assert.Equal("application/problem+json", paused.Content.Headers.ContentType?.MediaType);
        Assert.True(paused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await paused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("Try again in", problem.GetProperty("detail").GetString());
        var elsewhere = await ClientAt("198.51.100.31").PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Successful_sign_ins_do_not_count_against_the_client()
    {
        var client = ClientAt("198.51.100.40");
        for (var i = 0; i < 15; i++)
        {
            var login = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }
    }

    [Fact]
    public async Task A_client_cannot_escape_the_throttle_by_claiming_other_addresses_from_an_untrusted_proxy()
    {
        // Straight from 192.0.2.66, which is no configured proxy: its X-Forwarded-For is not believed.
        using var client = new HttpClient(api.Factory.Server.CreateHandler(c => c.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.66")))
        {
            BaseAddress = api.Factory.Server.BaseAddress,
        };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
            {
                Content = JsonContent.Create(new { email = ApiFactory.AdminEmail, password = "Wrong-Passw0rd!" }),
            };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            statuses.Add((await client.SendAsync(request, Ct)).StatusCode);
        }

        Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
    }

    [Fact]
    public async Task Every_failed_sign_in_has_the_same_answer_whether_or_not_the_email_exists()
    {
        var client = ClientAt("198.51.100.50");

        var wrongPassword = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiFactory.AdminEmail, password = "Wrong-Passw0rd!" }, Ct);
        var unknownEmail = await client.PostAsJsonAsync("/api/auth/login", new { email = "nobody@test.local", password = "Wrong-Passw0rd!" }, Ct);
        var noEmail = await client.PostAsJsonAsync("/api/auth/login", new { password = "Wrong-Passw0rd!" }, Ct);

        foreach (var response in new[] { wrongPassword, unknownEmail, noEmail })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal("Sign-in failed", problem.GetProperty("title").GetString());
            Assert.Equal("The email or password is not correct.", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task A_refresh_token_works_once_and_its_reuse_ends_the_whole_session()
    {
        var first = await LoginAsync();
        var second = await RefreshAsync(first.GetProperty("refreshToken").GetString());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var rotated = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.NotEqual(first.GetProperty("refreshToken").GetString(), rotated.GetProperty("refreshToken").GetString());

        var reused = await RefreshAsync(first.GetProperty("refreshToken").GetString());

        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Contains("already used", (await reused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        // The family is revoked: the newer refresh token and the access tokens of the session stop working too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(rotated.GetProperty("refreshToken").GetString())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(rotated.GetProperty("accessToken").GetString())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(first.GetProperty("accessToken").GetString())).StatusCode);
        // Another sign-in of the same user is another session and is not affected.
        Assert.Equal(HttpStatusCode.OK, (await MeAsync((await LoginAsync()).GetProperty("accessToken").GetString())).StatusCode);
    }

    [Fact]
    public async Task Of_two_refreshes_racing_with_one_token_at_most_one_succeeds()
    {
        var login = await LoginAsync();
        var token = login.GetProperty("refreshToken").GetString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RefreshAsync(token)));

        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.OK) <= 1);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized }));
    }

    [Fact]
    public async Task Logout_ends_the_session_so_its_refresh_and_access_tokens_stop_working()
    {
        var login = await LoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(login.GetProperty("accessToken").GetString())).StatusCode);

        var logout = await api.Anonymous().PostAsJsonAsync("/api/auth/logout", new { refreshToken = login.GetProperty("refreshToken").GetString() }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(login.GetProperty("accessToken").GetString())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(login.GetProperty("refreshToken").GetString())).StatusCode);
    }

    [Fact]
    public async Task Logout_answers_204_for_a_token_that_is_not_valid_and_400_without_one()
    {
        var forged = await api.Anonymous().PostAsJsonAsync("/api/auth/logout", new { refreshToken = "not-a-token" }, Ct);
        var missing = await api.Anonymous().PostAsJsonAsync("/api/auth/logout", new { }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, forged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A client whose requests a trusted proxy forwarded from <paramref name="address"/>: the in-memory server
    /// has no connection address, so the forwarded one counts.</summary>
    private HttpClient ClientAt(string address)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private async Task<JsonElement> LoginAsync()
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private Task<HttpResponseMessage> RefreshAsync(string? refreshToken) =>
        api.Anonymous().PostAsJsonAsync("/api/auth/refresh", new { refreshToken }, Ct);

    private Task<HttpResponseMessage> MeAsync(string? accessToken)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client.GetAsync("/api/auth/me", Ct);
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
