using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// A person in a real browser against the all-in-one host: sign in, create a category, upload a video, watch it get
/// indexed, find it by search, at desktop and phone widths. Screenshots land in TestResults/screenshots.
/// </summary>
public sealed class BrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private const string VideoTitle = "Browser test clip";

    /// <summary>Indexing a six-second clip takes seconds; the margin covers a busy two-core machine.</summary>
    private const float IndexingTimeoutMs = 180_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_person_signs_in_uploads_a_video_and_lands_on_its_moment_from_search()
    {
        Requires.Tools(WebBrowser.ChromiumPath, "ffmpeg");
        using var media = new TempFolder("veeky-web-browser");
        var clip = await GenerateClipAsync(media.File("clip.mp4"));
        await using var browser = await WebBrowser.LaunchAsync();

        var page = await NewPageAsync(browser, WebBrowser.Desktop);
        await page.GotoAsync(host.BaseUrl + "/search?q=clip");
        Assert.Contains("/login?returnUrl=", page.Url);
        await ShotAsync(page, "login-desktop");

        await SignInAsync(page);
        Assert.EndsWith("/search?q=clip", page.Url);
        await page.GotoAsync(host.BaseUrl + "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Library" })).ToBeVisibleAsync();
        await ShotAsync(page, "library-empty-desktop");

        await page.GotoAsync(host.BaseUrl + "/admin");
        await page.FillAsync("#new-category", "Browser tests");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add category" }).ClickAsync();
        await Expect(page.Locator(".list")).ToContainTextAsync("Browser tests");
        await ShotAsync(page, "admin-desktop");

        await page.GotoAsync(host.BaseUrl + "/upload");
        await page.SetInputFilesAsync("#file", clip);
        await page.FillAsync("#title", VideoTitle);
        await page.FillAsync("#keywords", "browser, test");
        await ShotAsync(page, "upload-desktop");
        await page.ClickAsync("form[data-upload] button[type=submit]");
        await page.WaitForURLAsync(url => url.Contains("/videos/", StringComparison.Ordinal));
        await ShotAsync(page, "video-processing-desktop");

        // The page follows indexing through the relayed event stream and reloads itself when the video is ready.
        await page.WaitForSelectorAsync(".segments li", new() { Timeout = IndexingTimeoutMs });
        await Expect(page.Locator("video#player")).ToBeVisibleAsync();
        await ShotAsync(page, "video-desktop");

        await page.GotoAsync(host.BaseUrl + "/");
        await Expect(page.Locator(".card")).ToContainTextAsync(VideoTitle);
        await ShotAsync(page, "library-desktop");

        await page.GotoAsync(host.BaseUrl + "/search?q=clip");
        var firstHit = page.Locator("a.hit").First;
        await Expect(firstHit).ToContainTextAsync(VideoTitle);
        await ShotAsync(page, "search-desktop");
        await firstHit.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/videos/", StringComparison.Ordinal) && url.Contains("?t=", StringComparison.Ordinal));
        var start = await page.Locator("video#player").GetAttributeAsync("data-start");
        Assert.NotNull(start);

        var phone = await NewPageAsync(browser, WebBrowser.Phone);
        await phone.GotoAsync(host.BaseUrl + "/");
        await SignInAsync(phone);
        await Expect(phone.Locator(".card")).ToContainTextAsync(VideoTitle);
        await ShotAsync(phone, "library-phone");
        await phone.GotoAsync(page.Url);
        await ShotAsync(phone, "video-phone");
        await phone.GotoAsync(host.BaseUrl + "/search?q=clip");
        await ShotAsync(phone, "search-phone");
    }

    [Fact]
    public async Task Wrong_credentials_keep_the_person_on_the_sign_in_page_with_a_sentence()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await NewPageAsync(browser, WebBrowser.Phone);

        await page.GotoAsync(host.BaseUrl + "/login");
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("button[type=submit]");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match an account");
        await ShotAsync(page, "login-refused-phone");
    }

    private static async Task<IPage> NewPageAsync(WebBrowser browser, ViewportSize viewport)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
        return await context.NewPageAsync();
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = WebBrowser.ScreenshotPath(name), FullPage = true });

    /// <summary>Six seconds, two visibly different scenes, H.264 as browsers play it.</summary>
    private static async Task<string> GenerateClipAsync(string path)
    {
        var ffmpeg = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        await ffmpeg.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=3",
            "-f", "lavfi", "-i", "color=c=orange:size=320x240:rate=15:duration=3",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v]", "-map", "[v]",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path,
        ], TimeSpan.FromMinutes(1), Ct);
        return path;
    }
}
