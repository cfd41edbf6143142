using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>Share links in a real browser: made from the video page at the player's time, opened by someone with no
/// session, and refused once revoked or changed.</summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class ShareBrowserTests(IndexedVideoSite site)
{
    [Fact]
    public async Task Share_this_moment_copies_a_link_that_plays_the_video_from_there_for_someone_without_a_session()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var owner = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        await owner.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = site.BaseUrl });
        await owner.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}?t=7");
        await owner.WaitForFunctionAsync("() => document.getElementById('player').readyState >= 1");
        await owner.EvaluateAsync("() => { document.getElementById('player').currentTime = 7.5; }");

        await owner.GetByRole(AriaRole.Button, new() { Name = "Share this moment" }).ClickAsync();

        var field = owner.GetByRole(AriaRole.Textbox, new() { Name = "Share link" });
        await Expect(field).ToBeVisibleAsync();
        var url = await field.InputValueAsync();
        Assert.StartsWith(site.BaseUrl + "/share/", url);
        await Expect(owner.Locator("[data-share-result]")).ToContainTextAsync("Copied");
        Assert.Equal(url, await owner.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // Someone else, never signed in.
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Phone });
        var guest = await context.NewPageAsync();
        var response = await guest.GotoAsync(url);
        Assert.Equal(200, response!.Status);
        await Expect(guest.GetByRole(AriaRole.Heading, new() { Name = IndexedVideoSite.VideoTitle })).ToBeVisibleAsync();
        Assert.Equal("7.5", await guest.Locator("#player").GetAttributeAsync("data-start"));
        await guest.WaitForFunctionAsync("() => document.getElementById('player').readyState >= 1");
        Assert.InRange(await guest.EvaluateAsync<double>("() => document.getElementById('player').currentTime"), 7.4, 7.6);
        await Expect(guest.Locator("[data-transcript] a").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/share/"));
        await Expect(guest.Locator("[data-transcript]")).ToContainTextAsync("elephant");
        // Nothing else opens: no navigation, and the library sends the guest to sign in.
        await Expect(guest.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToHaveCountAsync(0);
        await guest.GotoAsync(site.BaseUrl + "/");
        Assert.Contains("/login", guest.Url);
        await ShotAsync(guest, url, "share-phone");

        // Revoked: the same address now says the link is not valid, with a 404.
        using var api = await AdminApiAsync();
        var shares = await api.GetFromJsonAsync<JsonElement[]>($"api/videos/{site.VideoId}/shares");
        var id = shares!.Single(s => s.GetProperty("url").GetString() == url).GetProperty("id").GetGuid();
        (await api.DeleteAsync($"api/shares/{id}")).EnsureSuccessStatusCode();
        var gone = await guest.GotoAsync(url);
        Assert.Equal(404, gone!.Status);
        await Expect(guest.GetByRole(AriaRole.Heading, new() { Name = "This link is not valid" })).ToBeVisibleAsync();
        await Expect(guest.Locator("video")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_changed_link_shows_a_plain_page_saying_it_is_not_valid()
    {
        await site.ReadyAsync();
        using var api = await AdminApiAsync();
        using var created = await api.PostAsJsonAsync($"api/videos/{site.VideoId}/shares", new { start = 1 });
        created.EnsureSuccessStatusCode();
        var url = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!;
        await using var browser = await WebBrowser.LaunchAsync();
        var guest = await (await browser.Browser.NewContextAsync()).NewPageAsync();

        var response = await guest.GotoAsync(url[..^2] + (url[^2] == 'x' ? "yy" : "xx"));

        Assert.Equal(404, response!.Status);
        await Expect(guest.GetByRole(AriaRole.Heading, new() { Name = "This link is not valid" })).ToBeVisibleAsync();
        await Expect(guest.Locator("main")).ToContainTextAsync("expired or it was revoked");
        await Expect(guest.Locator("video")).ToHaveCountAsync(0);
    }

    private async Task<HttpClient> AdminApiAsync()
    {
        var client = new HttpClient { BaseAddress = new Uri(site.BaseUrl + "/") };
        using var login = await client.PostAsJsonAsync("api/auth/login", new { email = WebAllInOneHost.AdminEmail, password = WebAllInOneHost.AdminPassword });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static Task ShotAsync(IPage page, string url, string name) =>
        page.GotoAsync(url).ContinueWith(_ => page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath(name), FullPage = true })).Unwrap();
}
