using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// A person in a real browser against the all-in-one host: sign in, create a category, upload several videos at once,
/// watch them get indexed on the library and video pages without a reload, find a spoken word by search and land on
/// its moment, at desktop and phone widths. Screenshots land in TestResults/screenshots.
/// </summary>
public sealed class BrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private const string VideoTitle = "Browser test clip";

    /// <summary>Indexing a six-second clip takes seconds; the margin covers a busy two-core machine.</summary>
    private const float IndexingTimeoutMs = 180_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_person_uploads_several_videos_watches_them_index_live_and_lands_on_a_moment_from_search()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        Requires.Tools(SampleVideoGenerator.Tools);
        Requires.Tools("pocketsphinx_continuous");
        using var media = new TempFolder("veeky-web-browser");
        // The sample with speech (cached across runs), under a name the upload page turns into a title.
        var talk = media.File("river_talk.mp4");
        File.Copy(await SampleVideos.ScenesPathAsync(), talk);
        var clip = await new SampleVideoGenerator().GenerateTwoSceneClipAsync(media.File("clip.mp4"), Ct);
        var bad = media.File("notes.mp4");
        await File.WriteAllTextAsync(bad, "these are meeting notes, not a video", Ct);
        await using var browser = await WebBrowser.LaunchAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

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

        // Three files at once: one row each, titles from the file names, one title changed by hand.
        await page.GotoAsync(host.BaseUrl + "/upload");
        await page.SetInputFilesAsync("#file", [talk, clip, bad]);
        var rows = page.Locator(".upload-item");
        await Expect(rows).ToHaveCountAsync(3);
        var talkRow = rows.Filter(new() { HasText = "river_talk.mp4" });
        var clipRow = rows.Filter(new() { HasText = "clip.mp4" });
        var badRow = rows.Filter(new() { HasText = "notes.mp4" });
        await Expect(talkRow.Locator("[data-file-title]")).ToHaveValueAsync("river talk");
        await clipRow.Locator("[data-file-title]").FillAsync(VideoTitle);
        await page.FillAsync("#keywords", "browser, test");
        await Expect(page.Locator("form[data-upload] button[type=submit]")).ToHaveTextAsync("Upload 3 videos");
        await ShotAsync(page, "upload-queue-desktop");
        // Indexing waits until the library and the video page are open: on a quick machine the clips would be done first.
        using var held = host.Jobs.Hold();
        await page.ClickAsync("form[data-upload] button[type=submit]");

        await Expect(page.Locator(".upload-item[data-state=done]")).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        await Expect(badRow).ToHaveAttributeAsync("data-state", "refused");
        await Expect(badRow.Locator("[data-file-message]")).ToContainTextAsync("not a video");
        await Expect(talkRow.Locator("[data-file-link]")).ToContainTextAsync("river talk");
        Assert.EndsWith("/upload", page.Url);
        await ShotAsync(page, "upload-done-desktop");
        var talkPage = await talkRow.Locator("[data-file-link]").GetAttributeAsync("href");
        Assert.Matches("^/videos/[0-9a-f-]{36}$", talkPage);
        Output($"uploaded 2 videos (+1 refused) after {clock.Elapsed.TotalSeconds:0.0} s");

        // The library, open while the videos are indexed, follows them without reloading.
        var library = await page.Context.NewPageAsync();
        await library.GotoAsync(host.BaseUrl + "/");
        await MarkAsync(library);
        var cards = library.Locator("[data-video-card]");
        await Expect(cards).ToHaveCountAsync(2);
        var readyAtFirst = await library.Locator("[data-video-card] .badge--completed").CountAsync();

        // So does the video page: stage and meter in place, then the moments appear when indexing ends.
        await page.GotoAsync(host.BaseUrl + talkPage);
        await MarkAsync(page);
        Assert.Equal(0, await page.Locator(".segments li").CountAsync());
        await Expect(page.Locator("[data-live]")).ToBeVisibleAsync();
        await ShotAsync(page, "video-processing-desktop");
        held.Dispose();
        await page.WaitForSelectorAsync(".segments li", new() { Timeout = IndexingTimeoutMs });
        Output($"the speech sample indexed, seen live on its page, after {clock.Elapsed.TotalSeconds:0.0} s");
        await Expect(page.Locator("[data-live-badge] .badge")).ToHaveTextAsync("Ready");
        await Expect(page.Locator("[data-live]")).ToHaveCountAsync(0);
        await Expect(page.Locator("video#player")).ToBeVisibleAsync();
        await AssertNotReloadedAsync(page, host.BaseUrl + talkPage);
        await ShotAsync(page, "video-desktop");

        Assert.True(readyAtFirst < 2, "at least one video was still being indexed when the library opened");
        await Expect(library.Locator("[data-video-card] .badge--completed")).ToHaveCountAsync(2, new() { Timeout = IndexingTimeoutMs });
        await Expect(library.Locator("[data-video-card][data-status=Completed] img")).ToHaveCountAsync(2);
        await Expect(library.Locator("[data-video-card] [data-live-meter]:visible")).ToHaveCountAsync(0);
        await AssertNotReloadedAsync(library, host.BaseUrl + "/");
        await ShotAsync(library, "library-desktop");

        // A spoken word finds its moment; the player starts there.
        await page.GotoAsync(host.BaseUrl + "/search?q=elephant");
        var firstHit = page.Locator("a.hit").First;
        await Expect(firstHit).ToContainTextAsync("river talk");
        await ShotAsync(page, "search-desktop");
        var href = await firstHit.GetAttributeAsync("href") ?? "";
        var start = double.Parse(href[(href.IndexOf("?t=", StringComparison.Ordinal) + 3)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(start > 0, "the word is spoken after the first scene");
        await firstHit.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/videos/", StringComparison.Ordinal) && url.Contains("?t=", StringComparison.Ordinal));
        await page.WaitForFunctionAsync(
            "start => { const p = document.getElementById('player'); return p && p.readyState >= 1 && Math.abs(p.currentTime - start) < 0.05; }",
            start, new() { Timeout = 30_000 });

        var phone = await NewPageAsync(browser, WebBrowser.Phone);
        await phone.GotoAsync(host.BaseUrl + "/");
        await SignInAsync(phone);
        await Expect(phone.Locator(".card").Filter(new() { HasText = VideoTitle })).ToHaveCountAsync(1);
        await ShotAsync(phone, "library-phone");
        await phone.GotoAsync(page.Url);
        await ShotAsync(phone, "video-phone");
        await phone.GotoAsync(host.BaseUrl + "/search?q=elephant");
        await ShotAsync(phone, "search-phone");
        Output($"whole test {clock.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>Marks the document: a reload or navigation would lose the mark.</summary>
    private static Task MarkAsync(IPage page) => page.EvaluateAsync("() => { window.__veekyMarker = 1; }");

    private static async Task AssertNotReloadedAsync(IPage page, string url)
    {
        Assert.Equal(1, await page.EvaluateAsync<int?>("() => window.__veekyMarker ?? null"));
        Assert.Equal(url, page.Url);
    }

    private static void Output(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

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

        // The same sentence for an unknown email and a wrong password: it must not tell which emails have accounts.
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The email or password is not correct.");
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

}
