using System.Net;
using Veeky.Tests.Infrastructure;
using Veeky.Web.Sessions;

namespace Veeky.Tests.Web;

/// <summary>Browser sessions of the web UI against a stand-in API: sign-in, tokens kept server-side, refresh, sign-out.</summary>
public sealed class SessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The path and query a redirect points to, after checking it stays on this site.</summary>
    private static string LocalTarget(HttpResponseMessage redirect)
    {
        var target = new Uri(new Uri("http://localhost/"), redirect.Headers.Location!);
        Assert.Equal("localhost", target.Host);
        return target.PathAndQuery;
    }

    [Fact]
    public async Task A_page_asked_for_without_a_session_sends_to_sign_in_with_the_way_back()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var response = await client.GetAsync("/search?q=revenue", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fsearch%3Fq%3Drevenue", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Signing_in_keeps_the_tokens_in_an_http_only_cookie_and_never_in_the_page()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var signIn = await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", LocalTarget(signIn));
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebSession.CookieName, StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(factory.Api.CurrentAccessToken, cookie);

        var library = await client.GetStringAsync("/", Ct);
        Assert.Contains(WebFakeApi.AllHands.Title, library);
        Assert.DoesNotContain(factory.Api.CurrentAccessToken, library);
        Assert.DoesNotContain(factory.Api.CurrentRefreshToken, library);
        Assert.Contains(factory.Api.Requests, r => r.Path.StartsWith("/api/videos") && r.Authorization == $"Bearer {factory.Api.CurrentAccessToken}");
    }

    [Fact]
    public async Task Wrong_credentials_are_refused_with_a_sentence_and_no_session()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var response = await WebPageForms.SignInAsync(client, WebFakeApi.Email, "not-the-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email or password is not correct.", await response.Content.ReadAsStringAsync(Ct));
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies)
            && cookies.Any(c => c.StartsWith(WebSession.CookieName, StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Ct)).StatusCode);
    }

    [Fact]
    public async Task After_sign_in_a_local_return_url_is_honoured()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var response = await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password, "/search?q=revenue");

        Assert.Equal("/search?q=revenue", LocalTarget(response));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    public async Task After_sign_in_a_foreign_return_url_goes_home_instead(string returnUrl)
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var response = await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", LocalTarget(response));
    }

    [Fact]
    public async Task An_access_token_about_to_expire_is_refreshed_before_the_page_calls_the_api()
    {
        await using var factory = new WebUiFactory();
        factory.Api.ExpiresIn = 5; // inside the refresh margin: the next request must refresh first
        using var client = factory.CreateBrowserlikeClient();
        await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);
        var firstToken = factory.Api.CurrentAccessToken;

        using var response = await client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(firstToken, factory.Api.CurrentAccessToken);
        Assert.Contains(factory.Api.Requests, r => r.Path == "/api/auth/refresh");
        var videoCall = factory.Api.Requests.Last(r => r.Path.StartsWith("/api/videos"));
        Assert.Equal($"Bearer {factory.Api.CurrentAccessToken}", videoCall.Authorization);
    }

    [Fact]
    public async Task A_refused_refresh_ends_the_session()
    {
        await using var factory = new WebUiFactory();
        factory.Api.ExpiresIn = 5;
        factory.Api.RefuseRefresh = true;
        using var client = factory.CreateBrowserlikeClient();
        await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);

        using var response = await client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_at_the_api_so_a_copy_of_the_cookie_no_longer_opens_the_library()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();
        using var signIn = await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);
        var copiedCookie = WebPageForms.SessionCookieHeader(signIn);
        var refreshToken = factory.Api.CurrentRefreshToken;
        var library = await client.GetStringAsync("/", Ct);

        using var signOut = await WebPageForms.SignOutAsync(client, library);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", LocalTarget(signOut));
        var logout = Assert.Single(factory.Api.Requests, r => r.Path == "/api/auth/logout");
        Assert.Contains(refreshToken, System.Text.Encoding.UTF8.GetString(logout.Body));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Ct)).StatusCode);
        using var copy = factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/");
        replay.Headers.Add("Cookie", copiedCookie);
        using var replayed = await copy.SendAsync(replay, Ct);
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.StartsWith("/login", LocalTarget(replayed));
    }

    [Fact]
    public async Task Signing_out_after_the_session_already_ended_still_goes_to_sign_in()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var signOut = await client.PostAsync("/logout", new FormUrlEncodedContent([]), Ct);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", LocalTarget(signOut));
    }

    [Fact]
    public async Task Behind_a_tls_proxy_the_session_cookie_is_secure()
    {
        await using var factory = new WebUiFactory();
        using var plain = factory.CreateBrowserlikeClient();
        using var proxied = factory.CreateBrowserlikeClient();
        proxied.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var overHttp = await WebPageForms.SignInAsync(plain, WebFakeApi.Email, WebFakeApi.Password);
        using var overHttps = await WebPageForms.SignInAsync(proxied, WebFakeApi.Email, WebFakeApi.Password);

        Assert.Contains("; secure", Cookie(overHttps), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("; secure", Cookie(overHttp), StringComparison.OrdinalIgnoreCase);

        static string Cookie(HttpResponseMessage response) =>
            Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebSession.CookieName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sign_in_form_tells_the_api_the_browsers_address_for_its_throttle()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.77");

        await WebPageForms.SignInAsync(client, WebFakeApi.Email, "not-the-password");

        Assert.Equal("203.0.113.77", Assert.Single(factory.Api.Requests, r => r.Path == "/api/auth/login").ForwardedFor);
    }

    [Fact]
    public async Task A_sign_in_paused_for_too_many_failures_shows_the_apis_sentence()
    {
        await using var factory = new WebUiFactory();
        factory.Api.PauseSignIn = true;
        using var client = factory.CreateBrowserlikeClient();

        using var response = await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(WebFakeApi.PausedSignIn, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Requests_racing_with_an_expiring_token_share_one_refresh()
    {
        await using var factory = new WebUiFactory();
        factory.Api.ExpiresIn = 5; // inside the refresh margin: the next requests must refresh first
        using var client = factory.CreateBrowserlikeClient();
        await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);
        // The refresh is slow, so all six requests carry the old refresh token while it runs.
        factory.Api.RefreshDelay = TimeSpan.FromMilliseconds(500);
        factory.Api.ExpiresIn = 3600;

        var pages = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.GetAsync("/", Ct)));

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        Assert.Single(factory.Api.Requests, r => r.Path == "/api/auth/refresh");
    }

    [Fact]
    public async Task Signing_out_without_the_form_token_is_refused()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();
        await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);

        using var signOut = await client.PostAsync("/logout", new FormUrlEncodedContent([]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", Ct)).StatusCode);
    }
}
