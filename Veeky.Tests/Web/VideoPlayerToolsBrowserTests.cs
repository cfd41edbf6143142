using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The video page's tools in a real browser on the indexed sample: the player's keys, "Copy link at this moment",
/// find in transcript and the transcript download, at desktop and phone widths.
/// </summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class VideoPlayerToolsBrowserTests(IndexedVideoSite site)
{
    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Fact]
    public async Task Arrow_keys_and_j_k_l_seek_and_pause_the_player_but_not_while_typing()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}?t=6");
        await WaitForMetadataAsync(page);
        await WaitForTimeAsync(page, 6);
        await Expect(page.Locator("[data-player-tools]")).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("ArrowRight");
        await WaitForTimeAsync(page, 11);
        await page.Keyboard.PressAsync("ArrowLeft");
        await WaitForTimeAsync(page, 6);
        await page.Keyboard.PressAsync("j");
        await WaitForTimeAsync(page, 0);
        await page.Keyboard.PressAsync("l");
        await WaitForTimeAsync(page, 10);

        await page.Keyboard.PressAsync("k");
        await page.WaitForFunctionAsync("() => !document.querySelector('video#player').paused");
        await page.Keyboard.PressAsync("k");
        await page.WaitForFunctionAsync("() => document.querySelector('video#player').paused");
        await page.Keyboard.PressAsync(" ");
        await page.WaitForFunctionAsync("() => !document.querySelector('video#player').paused");
        await page.Keyboard.PressAsync(" ");
        await page.WaitForFunctionAsync("() => document.querySelector('video#player').paused");

        // Letters typed into the transcript finder are words, not commands.
        var before = await CurrentTimeAsync(page);
        await page.Locator("#transcript-find").PressSequentiallyAsync("jl k");
        Assert.Equal(before, await CurrentTimeAsync(page), 1);
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('video#player').paused"));
        await Expect(page.Locator("#transcript-find")).ToHaveValueAsync("jl k");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Copy_link_at_this_moment_copies_the_address_at_the_players_time(string width)
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, Viewport(width));
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = site.BaseUrl });
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");
        await WaitForMetadataAsync(page);
        await page.EvalOnSelectorAsync("video#player", "v => v.currentTime = 7.46");
        await WaitForTimeAsync(page, 7.46);

        await page.GetByRole(AriaRole.Button, new() { Name = "Copy link at this moment" }).ClickAsync();

        await Expect(page.Locator("[data-copy-result]")).ToHaveTextAsync("Copied the link to 00:07.");
        Assert.Equal($"{site.BaseUrl}/videos/{site.VideoId}?t=7.4", await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Find_in_transcript_marks_every_match_and_steps_through_them(string width)
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, Viewport(width));
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");
        var expected = site.Segments.Sum(s => Regex.Matches(s.Transcript ?? "", "elephant", RegexOptions.IgnoreCase).Count);
        Assert.True(expected > 0, "the sample's transcript says elephant");
        var find = page.GetByRole(AriaRole.Searchbox, new() { Name = "Find in transcript" });
        var count = page.Locator("[data-find-count]");

        await find.FillAsync("ELEPHANT");

        await Expect(count).ToHaveTextAsync($"1 of {expected}");
        await Expect(page.Locator("[data-transcript] mark.find-hit")).ToHaveCountAsync(expected);
        await Expect(page.Locator("[data-transcript] mark.find-hit.is-active")).ToHaveTextAsync(new Regex("^elephant$", RegexOptions.IgnoreCase));
        await find.PressAsync("ArrowUp");
        await Expect(count).ToHaveTextAsync($"{expected} of {expected}");
        await find.PressAsync("Enter");
        await Expect(count).ToHaveTextAsync($"1 of {expected}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next match" }).ClickAsync();
        await Expect(count).ToHaveTextAsync($"{(expected > 1 ? 2 : 1)} of {expected}");
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"video-find-{width}"), FullPage = width == "phone" });

        await find.FillAsync("zebra crossing nowhere");
        await Expect(count).ToHaveTextAsync("No matches");
        await Expect(page.Locator("mark.find-hit")).ToHaveCountAsync(0);
        await find.FillAsync("elephant");
        await Expect(count).ToHaveTextAsync($"1 of {expected}");
        await find.PressAsync("Escape");
        await Expect(page.Locator("mark.find-hit")).ToHaveCountAsync(0);
        // Marks come and go without changing the words: the transcript reads as before.
        var words = await page.Locator("[data-transcript] .sentence__text").AllTextContentsAsync();
        Assert.Equal(string.Join(' ', site.Segments.Select(s => s.Transcript).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!.Trim())), string.Join(' ', words.Select(w => w.Trim())));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Download_transcript_gives_the_sentences_the_page_shows_one_per_line_with_their_times(string width)
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, Viewport(width));
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");

        var link = page.GetByRole(AriaRole.Link, new() { Name = "Download transcript (.txt)" });
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var text = await File.ReadAllTextAsync((await download.PathAsync())!);

        Assert.Equal(IndexedVideoSite.VideoTitle + ".txt", download.SuggestedFilename);
        Assert.StartsWith(IndexedVideoSite.VideoTitle + "\n\n[00:", text);
        Assert.Contains("elephant", text, StringComparison.OrdinalIgnoreCase);
        // The lines are the transcript's sentences as the page lists them, not its moments.
        var times = await page.Locator("[data-transcript] .sentence__time").AllTextContentsAsync();
        var said = await page.Locator("[data-transcript] .sentence__text").AllTextContentsAsync();
        Assert.NotEmpty(said);
        Assert.Equal(times.Zip(said, (t, w) => $"[{t.Trim()}] {w.Trim()}"), text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1));
    }

    private static ViewportSize Viewport(string width) => width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop;

    private static Task<double> CurrentTimeAsync(IPage page) =>
        page.EvaluateAsync<double>("() => document.querySelector('video#player').currentTime");

    private static Task WaitForMetadataAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.querySelector('video#player')?.readyState >= 1", null, new() { Timeout = 30_000 });

    private static Task WaitForTimeAsync(IPage page, double seconds) =>
        page.WaitForFunctionAsync(
            $"() => Math.abs(document.querySelector('video#player').currentTime - {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}) < 0.3",
            null, new() { Timeout = 15_000 });
}
