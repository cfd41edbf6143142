using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using ModelContextProtocol.Client;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>The "API keys" page in a real browser against the all-in-one host: reached from the account menu, a key is
/// made, copied once with the Copy button, works on the API and the MCP server, and stops working once revoked.</summary>
public sealed class ApiKeysBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_person_makes_a_key_copies_it_once_and_revokes_it_after_confirming()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Desktop });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = host.BaseUrl });
        var page = await context.NewPageAsync();
        await SignInAsync(page);

        await page.Locator(".user-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys", Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("Name").FillAsync("Claude Desktop");
        await page.GetByLabel("Expires").SelectOptionAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make key" }).ClickAsync();

        var field = page.GetByRole(AriaRole.Textbox, new() { Name = "New API key" });
        var key = await field.InputValueAsync();
        Assert.StartsWith("vk_", key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-copy-note]")).ToHaveTextAsync("Copied.");
        Assert.Equal(key, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Claude Desktop" });
        await Expect(row).ToContainTextAsync(key[..7]);
        await ShotAsync(page, "api-keys-desktop");

        using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl + "/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("api/auth/me", Ct)).StatusCode);
        // The all-in-one host serves the MCP server too, and the key opens it.
        var mcpHttp = new HttpClient();
        mcpHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await using (var mcp = await McpClient.CreateAsync(new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(host.BaseUrl + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            mcpHttp, loggerFactory: null, ownsHttpClient: true), cancellationToken: Ct))
        {
            Assert.Contains(await mcp.ListToolsAsync(cancellationToken: Ct), t => t.Name == "search_moments");
        }

        // Shown once: the page opened again lists the key but holds its secret nowhere.
        await page.GotoAsync(host.BaseUrl + "/account/api-keys");
        await Expect(page.Locator("[data-new-key]")).ToHaveCountAsync(0);
        Assert.DoesNotContain(key, await page.ContentAsync());
        await Expect(row).ToContainTextAsync("UTC");

        // Dismissing the confirmation keeps the key; accepting it revokes the key.
        EventHandler<IDialog> dismiss = (_, dialog) => _ = dialog.DismissAsync();
        page.Dialog += dismiss;
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke Claude Desktop" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(1);
        page.Dialog -= dismiss;
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke Claude Desktop" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("api/auth/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_api_keys_page_fits_a_phone_screen()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Phone });
        var page = await context.NewPageAsync();
        await SignInAsync(page);
        await page.GotoAsync(host.BaseUrl + "/account/api-keys");
        await page.GetByLabel("Name").FillAsync("Phone script");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make key" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Textbox, new() { Name = "New API key" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true })).ToBeInViewportAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the page must not scroll sideways on a phone");
        await ShotAsync(page, "api-keys-phone");
    }

    private async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(host.BaseUrl + "/login");
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = WebBrowser.ScreenshotPath(name), FullPage = true });
}
