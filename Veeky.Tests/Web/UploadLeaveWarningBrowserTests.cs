using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// Leaving the upload page while a file is still sending would abort it, so the browser asks first (upload.js's
/// <c>beforeunload</c>); with nothing sending it must not ask, or people learn to click the warning away.
/// </summary>
public sealed class UploadLeaveWarningBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    /// <summary>Generous: only a slow machine makes these waits long; they end as soon as the state is reached.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Leaving_the_upload_page_asks_first_while_an_upload_is_sending_and_not_when_none_is()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        Requires.Tools(SampleVideoGenerator.Tools);
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        await WebAllInOneHost.CreateCategoryAsync(admin, "Leave warning " + Guid.NewGuid().ToString("N")[..8]);
        using var media = new TempFolder("veeky-web-leave");
        var file = media.File("leaving_early.mp4");
        File.Copy(await SampleVideos.ScenesPathAsync(), file);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = WebBrowser.Desktop });
        await page.GotoAsync(host.BaseUrl + "/upload");
        await WebBrowser.SignInOnPageAsync(page, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword, host.BaseUrl + "/upload");
        var asked = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            asked.Add(dialog.Type);
            await dialog.DismissAsync(); // stay on the page
        };

        // A slow uplink, so the upload is still sending when the page is left.
        await WebBrowser.SlowUploadsAsync(page);
        await page.SetInputFilesAsync("#file", file);
        var row = page.Locator(".upload-item");
        await page.ClickAsync("form[data-upload] button[type=submit]");
        await Expect(row).ToHaveAttributeAsync("data-state", "sending");

        // The browser asks only on a page the person has used; pressing Send was that.
        Assert.True(await page.EvaluateAsync<bool>("() => navigator.userActivation.hasBeenActive"));
        var library = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Library", Exact = true });

        // Following a link mid-upload: the browser asks, and "stay" keeps the page and its upload.
        var clicking = library.ClickAsync();
        await WaitForAsync(() => asked.Count > 0);
        await clicking;
        Assert.Equal(["beforeunload"], asked);
        Assert.EndsWith("/upload", page.Url);
        await Expect(row).ToHaveAttributeAsync("data-state", "sending");

        // Nothing sending any more (the same page, so the browser would still show a prompt if one were asked for): it goes.
        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel the upload of leaving_early.mp4" }).ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-state", "cancelled");
        await library.ClickAsync();
        await page.WaitForURLAsync(url => !url.EndsWith("/upload", StringComparison.Ordinal));
        Assert.Equal(["beforeunload"], asked);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(Patience);
        while (!condition())
        {
            await Task.Delay(50, patience.Token);
        }
    }
}
