using System.Net;
using Microsoft.Playwright;
using Veeky.Api.Security;
using Veeky.Tests.Infrastructure;
using Veeky.Web;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// Sessions in the all-in-one host (UI, API and indexer in one process, on a real Kestrel server), where the API's
/// bearer scheme is the host's default: signing out works from every page and ends the session for good, the API never
/// takes the cookie, TLS proxies and sign-in throttling see the real client, and pages and API get their own policies.
/// </summary>
public sealed class AllInOneSessionTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sign_out_in_the_all_in_one_host_ends_the_session()
    {
        using var client = host.CreateBrowserlikeClient();
        using var signIn = await WebPageForms.SignInAsync(client, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var copiedCookie = WebPageForms.SessionCookieHeader(signIn);
        var library = await client.GetStringAsync("/", Ct);

        using var signOut = await WebPageForms.SignOutAsync(client, library);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", Target(signOut));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Ct)).StatusCode);
        Assert.StartsWith("/login", Target(await GetWithCookieAsync("/", copiedCookie)));
    }

    [Theory]
    [InlineData("/access-denied")]
    [InlineData("/status/404")]
    public async Task Sign_out_works_from_pages_without_an_authorization_policy(string page)
    {
        using var client = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        using var shown = await client.GetAsync(page, Ct);
        var html = await shown.Content.ReadAsStringAsync(Ct);
        Assert.Contains("action=\"/logout\"", html);

        using var signOut = await WebPageForms.SignOutAsync(client, html);

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/login", Target(signOut));
    }

    [Fact]
    public async Task Sign_out_without_the_form_token_is_refused_and_the_session_stays()
    {
        using var client = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);

        using var signOut = await client.PostAsync("/logout", new FormUrlEncodedContent([]), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_api_never_takes_the_session_cookie_for_a_bearer_token()
    {
        using var client = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);

        using var me = await client.GetAsync("api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task Behind_a_tls_proxy_on_loopback_the_session_cookie_is_secure()
    {
        using var client = host.CreateBrowserlikeClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var signIn = await WebPageForms.SignInAsync(client, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith(Veeky.Web.Sessions.WebSession.CookieName, StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Wrong_passwords_on_the_sign_in_page_pause_that_client_and_never_the_account()
    {
        using var guesser = host.CreateBrowserlikeClient();
        guesser.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.99");
        var answers = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            using var attempt = await WebPageForms.SignInAsync(guesser, WebAllInOneHost.AdminEmail, "Wrong-Passw0rd!");
            answers.Add(await attempt.Content.ReadAsStringAsync(Ct));
        }

        Assert.All(answers.Take(10), a => Assert.Contains("The email or password is not correct.", a));
        Assert.Contains("Too many failed sign-ins from your address", answers[10]);
        // The admin, elsewhere, signs in as usual.
        using var admin = host.CreateBrowserlikeClient();
        admin.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.100");
        using var signIn = await WebPageForms.SignInAsync(admin, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", Target(signIn));
    }

    [Fact]
    public async Task Pages_and_the_api_of_the_all_in_one_host_each_carry_their_policy()
    {
        using var client = host.CreateBrowserlikeClient();

        using var page = await client.GetAsync("login", Ct);
        using var api = await client.GetAsync("api/auth/me", Ct);

        Assert.Equal(PageSecurityPolicy.Value, string.Join(",", page.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal(SecurityHeaders.ApiPolicy, string.Join(",", api.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("nosniff", string.Join(",", api.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task A_person_signs_out_in_a_real_browser_and_the_old_session_cookie_no_longer_opens_the_library()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Desktop });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/login");
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Library" })).ToBeVisibleAsync();
        var signedInCookies = await context.CookiesAsync();

        await page.Locator(".user-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await page.WaitForURLAsync(url => url.EndsWith("/login", StringComparison.Ordinal));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GotoAsync(host.BaseUrl + "/");
        Assert.Contains("/login", page.Url);

        // Someone who copied the cookie before the sign-out gets the sign-in page too.
        var copy = await browser.Browser.NewContextAsync();
        await copy.AddCookiesAsync(signedInCookies.Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        var stolen = await copy.NewPageAsync();
        await stolen.GotoAsync(host.BaseUrl + "/");
        Assert.Contains("/login", stolen.Url);
        await Expect(stolen.GetByRole(AriaRole.Heading, new() { Name = "Library" })).ToHaveCountAsync(0);
    }

    /// <summary>Where a redirect points, as a path on this host.</summary>
    private string Target(HttpResponseMessage redirect) => new Uri(new Uri(host.BaseUrl), redirect.Headers.Location!).PathAndQuery;

    private async Task<HttpResponseMessage> GetWithCookieAsync(string path, string cookie)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request, Ct);
    }
}
