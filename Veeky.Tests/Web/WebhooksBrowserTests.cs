using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>Admin › Webhooks in a real browser on the all-in-one host, with a real receiver behind it.</summary>
public sealed class WebhooksBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_adds_a_webhook_sees_its_secret_once_follows_its_deliveries_and_deletes_it_after_confirming()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500);
        await using var host = WebAllInOneHost.WithSettings(new Dictionary<string, string?>
        {
            ["Veeky:Webhooks:AllowPrivateNetworks"] = "true",
            ["Veeky:Webhooks:PollInterval"] = "00:00:00.100",
            ["Veeky:Webhooks:RetryDelays:0"] = "00:00:00.200",
        });
        await host.InitializeAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignInAsync(browser, host, WebBrowser.Desktop);

        await page.GotoAsync(host.BaseUrl + "/admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks", Exact = true }).ClickAsync();
        await page.GetByLabel("URL").FillAsync(receiver.Url.ToString());
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "video.failed" }).UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhook added" })).ToBeVisibleAsync();
        var secret = (await page.GetByTestId("webhook-secret").TextContentAsync())!.Trim();
        Assert.Matches("^[0-9a-f]{64}$", secret);
        var hook = page.GetByRole(AriaRole.Article, new() { Name = receiver.Url.ToString() });
        await Expect(hook).ToContainTextAsync("video.completed, video.deleted");

        // Shown once: the page opened again lists the webhook without it.
        await page.GotoAsync(host.BaseUrl + "/admin/webhooks");
        await Expect(hook).ToBeVisibleAsync();
        await Expect(page.Locator("main")).Not.ToContainTextAsync(secret);

        // A deleted video reaches the receiver on the second try, signed with the secret the page showed.
        using var api = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var adminId = (await api.GetFromJsonAsync<JsonElement>("api/auth/me", Ct)).GetProperty("id").GetGuid();
        var video = await host.SeedVideoAsync(await WebAllInOneHost.CreateCategoryAsync(api, "Hooked"), adminId, VideoStatus.Completed);
        (await api.DeleteAsync($"api/videos/{video.Id}", Ct)).EnsureSuccessStatusCode();
        var delivered = Assert.Single(await receiver.WaitForAcceptedAsync(1, TimeSpan.FromSeconds(60)));
        Assert.True(WebhookReceiver.IsSignedWith(delivered.Signature, delivered.Body, secret));
        await page.ReloadAsync();
        var row = hook.GetByRole(AriaRole.Row).Filter(new() { HasText = "video.deleted" });
        await Expect(row).ToContainTextAsync("Delivered");
        await Expect(row.GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync("2");
        await Expect(row).ToContainTextAsync("500");
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath("webhooks-desktop"), FullPage = true });

        // On a phone the page fits the screen: long URLs wrap and the table scrolls inside its panel.
        var phone = await SignInAsync(browser, host, WebBrowser.Phone);
        await phone.GotoAsync(host.BaseUrl + "/admin/webhooks");
        await Expect(phone.GetByRole(AriaRole.Article, new() { Name = receiver.Url.ToString() })).ToBeVisibleAsync();
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The webhooks page is wider than a phone's screen.");
        await phone.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath("webhooks-phone"), FullPage = true });

        // Delete asks first: dismissed, nothing happens; accepted, the webhook is gone.
        string? asked = null;
        var accept = false;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            if (accept) await dialog.AcceptAsync(); else await dialog.DismissAsync();
        };
        await hook.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        Assert.Contains(receiver.Url.ToString(), asked);
        await Expect(hook).ToBeVisibleAsync();
        accept = true;
        await hook.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("No webhooks yet.");
        Assert.Empty(await api.GetFromJsonAsync<JsonElement[]>("api/webhooks", Ct) ?? []);
    }

    [Fact]
    public async Task Reloading_the_page_after_adding_a_webhook_does_not_send_the_form_again()
    {
        await using var host = WebAllInOneHost.WithSettings(new Dictionary<string, string?> { ["Veeky:Webhooks:AllowPrivateNetworks"] = "true" });
        await host.InitializeAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignInAsync(browser, host, WebBrowser.Desktop);
        using var api = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        const string url = "http://127.0.0.1:9/reloaded-hook";

        await page.GotoAsync(host.BaseUrl + "/admin/webhooks");
        await page.GetByLabel("URL").FillAsync(url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhook added" })).ToBeVisibleAsync();
        var secret = (await page.GetByTestId("webhook-secret").TextContentAsync())!.Trim();
        var methods = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.IsNavigationRequest)
            {
                methods.Add(request.Method);
            }
        };
        await page.ReloadAsync();

        // The page after the form was fetched by a redirect's GET, so a reload repeats only that.
        Assert.Equal(["GET"], methods);
        await Expect(page.GetByRole(AriaRole.Article, new() { Name = url })).ToBeVisibleAsync();
        Assert.Single(await api.GetFromJsonAsync<JsonElement[]>("api/webhooks", Ct) ?? []);
        // The secret was shown once, on the answer to the form, and is gone on the reload.
        await Expect(page.Locator("main")).Not.ToContainTextAsync(secret);
    }

    private static async Task<IPage> SignInAsync(WebBrowser browser, WebAllInOneHost host, ViewportSize viewport)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/login");
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }
}
