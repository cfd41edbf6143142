using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// "Import from a link" on the upload page, in a real browser against the all-in-one host (private networks allowed,
/// so it may fetch from the loopback test server): the video opens and indexes live; a refused link stays on the form
/// with the reason beside the field. And the upload queue takes the focus once files are sent.
/// </summary>
public sealed class ImportLinkBrowserTests : IAsyncLifetime
{
    /// <summary>Downloading and indexing a six-second clip takes seconds; the margin covers a busy two-core machine.</summary>
    private const float IndexingTimeoutMs = 180_000;

    private readonly WebAllInOneHost _host = WebAllInOneHost.WithSettings(new Dictionary<string, string?>
    {
        ["Veeky:Import:AllowPrivateNetworks"] = "true",
    });
    private LoopbackFileServer _files = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _files = await LoopbackFileServer.StartAsync();
        await _host.InitializeAsync();
        using var admin = await _host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        await WebAllInOneHost.CreateCategoryAsync(admin, "Linked talks");
    }

    [Fact]
    public async Task A_person_imports_a_video_from_a_link_and_watches_it_download_and_index_on_its_page()
    {
        Requires.Tools(WebBrowser.ChromiumPath, "ffmpeg", "ffprobe");
        using var media = new TempFolder("veeky-web-import");
        var url = _files.Serve("/talks/clip.mp4", await File.ReadAllBytesAsync(await new SampleVideoGenerator().GenerateTwoSceneClipAsync(media.File("clip.mp4"), Ct), Ct));
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, WebBrowser.Desktop);

        await page.GotoAsync(_host.BaseUrl + "/upload");
        await page.FillAsync("#link-url", url.ToString());
        await page.FillAsync("#link-title", "A talk from a link");
        await page.SelectOptionAsync("#link-category", new SelectOptionValue { Label = "Linked talks" });
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath("import-link-desktop"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        await page.WaitForURLAsync(u => u.Contains("/videos/", StringComparison.Ordinal));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "A talk from a link" })).ToBeVisibleAsync();
        await Expect(page.Locator("[data-live-badge]").First).ToHaveTextAsync("Ready", new() { Timeout = IndexingTimeoutMs });
    }

    [Fact]
    public async Task A_link_that_is_not_http_stays_on_the_form_with_the_reason_beside_the_field_on_a_phone()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, WebBrowser.Phone);

        await page.GotoAsync(_host.BaseUrl + "/upload");
        // type=url accepts ftp links: the API's rule is what refuses it.
        await page.FillAsync("#link-url", "ftp://example.com/talk.mp4");
        await page.FillAsync("#link-title", "Not fetched");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();

        await Expect(page.Locator("#link-url-error")).ToContainTextAsync("Only http and https links can be imported.");
        await Expect(page.Locator("#link-url")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#link-url")).ToHaveValueAsync("ftp://example.com/talk.mp4");
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath("import-link-refused-phone"), FullPage = true });
    }

    [Fact]
    public async Task After_sending_the_upload_queue_has_the_focus_where_its_progress_is()
    {
        Requires.Tools(WebBrowser.ChromiumPath, "ffmpeg", "ffprobe");
        using var media = new TempFolder("veeky-web-import");
        var clip = await new SampleVideoGenerator().GenerateTwoSceneClipAsync(media.File("focus_clip.mp4"), Ct);
        using var hold = _host.Jobs.Hold(); // the sending is the point, not the indexing
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, WebBrowser.Desktop);

        await page.GotoAsync(_host.BaseUrl + "/upload");
        await page.SetInputFilesAsync("form[data-upload] input[type=file]", clip);
        await page.SelectOptionAsync("form[data-upload] [name=categoryId]", new SelectOptionValue { Label = "Linked talks" });
        await page.ClickAsync("form[data-upload] button[type=submit]");

        await Expect(page.Locator("[data-upload-queue]")).ToBeFocusedAsync();
        await Expect(page.Locator(".upload-item[data-state=done]")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
    }

    private async Task<IPage> SignedInPageAsync(WebBrowser browser, ViewportSize viewport)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_host.BaseUrl + "/login");
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("/login", StringComparison.Ordinal));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _files.DisposeAsync();
    }
}
