using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The upload page's flow on a phone, which the other upload tests walk at desktop width: after sending, the focus is
/// on the queue where the progress is; leaving while the file is sending asks first, and Cancel on its row stops it so
/// leaving asks no more.
/// </summary>
public sealed class UploadPhoneBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    /// <summary>Generous: only a slow machine makes these waits long; they end as soon as the state is reached.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task On_a_phone_sending_focuses_the_queue_leaving_mid_upload_asks_first_and_Cancel_stops_it()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        Requires.Tools(SampleVideoGenerator.Tools);
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var categoryName = "Phone uploads " + Guid.NewGuid().ToString("N")[..8];
        await WebAllInOneHost.CreateCategoryAsync(admin, categoryName);
        using var media = new TempFolder("veeky-web-phone-upload");
        var file = media.File("from_the_phone.mp4");
        File.Copy(await SampleVideos.ScenesPathAsync(), file);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = WebBrowser.Phone });
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
        await page.SetInputFilesAsync("form[data-upload] input[type=file]", file);
        await page.SelectOptionAsync("form[data-upload] [name=categoryId]", new SelectOptionValue { Label = categoryName });
        await page.ClickAsync("form[data-upload] button[type=submit]");
        var row = page.Locator(".upload-item");
        await Expect(row).ToHaveAttributeAsync("data-state", "sending");
        await Expect(page.Locator("[data-upload-queue]")).ToBeFocusedAsync();
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= WebBrowser.Phone.Width, $"the upload page scrolls sideways: {scrollWidth} px wide");
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath("upload-sending-phone"), FullPage = true });

        var library = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Library", Exact = true });
        var tapping = library.ClickAsync();
        await WaitForAsync(() => asked.Count > 0);
        await tapping;
        Assert.Equal(["beforeunload"], asked);
        Assert.EndsWith("/upload", page.Url);
        await Expect(row).ToHaveAttributeAsync("data-state", "sending");

        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel the upload of from_the_phone.mp4" }).ClickAsync();
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
