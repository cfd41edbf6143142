using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The video page in a real browser on an indexed video: the timeline strip and the transcript seek the player and
/// follow it, <c>?t=</c> starts there, and the pages fit a phone, name every control, and are photographed in both
/// themes at both widths (TestResults/screenshots).
/// </summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class VideoPageBrowserTests(IndexedVideoSite site)
{
    private const string Player = "video#player";

    [Fact]
    public async Task Clicking_a_chapter_seeks_the_player_to_its_start_and_marks_it_current()
    {
        await site.ReadyAsync();
        Assert.True(site.Segments.Count >= 3, $"the four-scene sample gave {site.Segments.Count} moments");
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");
        await WaitForMetadataAsync(page);
        var third = site.Segments[2];

        var chapters = page.GetByRole(AriaRole.Navigation, new() { Name = "Chapters" }).GetByRole(AriaRole.Link);
        await Expect(chapters).ToHaveCountAsync(site.Segments.Count);
        var chapter = page.GetByRole(AriaRole.Link, new() { Name = $"Chapter 3, {Clock(third.Start)} to {Clock(third.End)}", Exact = true });
        await chapter.ClickAsync();

        await WaitForTimeAsync(page, third.Start);
        await Expect(chapter).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-current"));
        await Expect(chapter).ToHaveAttributeAsync("aria-current", "time");
        await Expect(page.Locator("[data-timeline] .is-current")).ToHaveCountAsync(1);
        Assert.Contains($"?t={Seconds(third.Start)}", page.Url);
        // The playhead sits inside the current chapter.
        var inside = await page.EvaluateAsync<bool>("""
            () => {
                const head = document.querySelector('[data-timeline-playhead]').getBoundingClientRect();
                const current = document.querySelector('[data-timeline] .is-current').getBoundingClientRect();
                return !document.querySelector('[data-timeline-playhead]').hidden && head.left >= current.left - 2 && head.left <= current.right + 2;
            }
            """);
        Assert.True(inside, "the playhead is drawn inside the current chapter");

        // The strip is a row of links: arrow keys move between chapters, Enter seeks.
        await chapter.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        var fourth = page.GetByRole(AriaRole.Link, new() { Name = $"Chapter 4, {Clock(site.Segments[3].Start)} to {Clock(site.Segments[3].End)}", Exact = true });
        await Expect(fourth).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await WaitForTimeAsync(page, site.Segments[3].Start);
    }

    [Fact]
    public async Task A_t_link_starts_the_player_there_and_the_transcript_highlight_follows_playback()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        var second = site.Segments[1];
        var last = site.Segments[^1];

        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}?t={Seconds(second.Start)}");
        await WaitForMetadataAsync(page);

        await WaitForTimeAsync(page, second.Start);
        // The moments' list (words on screen, scene by scene) follows playback as the sentences do.
        var lines = page.Locator("[data-moments] a.segment");
        await Expect(lines.Nth(1)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-current"));

        // Playback moving on (a seek stands in for time passing) moves the highlight with it, and never the page.
        var pageScroll = await page.EvaluateAsync<double>("scrollY");
        await page.EvalOnSelectorAsync(Player, $"(v) => v.currentTime = {Seconds(last.Start + 0.2)}");
        await Expect(lines.Last).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-current"));
        await Expect(lines.Last).ToHaveAttributeAsync("aria-current", "time");
        await Expect(page.Locator("[data-moments] .is-current")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-timeline] a").Last).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-current"));
        Assert.Equal(pageScroll, await page.EvaluateAsync<double>("scrollY"));

        // Clicking a transcript line seeks too.
        await lines.First.ClickAsync();
        await WaitForTimeAsync(page, site.Segments[0].Start);
        await Expect(lines.First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("is-current"));
    }

    [Fact]
    public async Task Loading_the_video_page_moves_nothing_already_drawn_and_the_player_keeps_its_box_when_the_video_arrives()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        // Every layout shift of the page's life, those before any test code could look included.
        await page.AddInitScriptAsync("""
            window.veekyShifts = [];
            new PerformanceObserver(list => list.getEntries().forEach(e => { if (!e.hadRecentInput) window.veekyShifts.push(e.value); }))
                .observe({ type: 'layout-shift', buffered: true });
            """);
        // The video's first request is held until the player's box has been measured without any of its bytes.
        var held = new TaskCompletionSource<IRoute>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(new System.Text.RegularExpressions.Regex(@"/api/videos/[^/]+/stream\?"),
            route => held.TrySetResult(route) ? Task.CompletedTask : route.ContinueAsync());

        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");
        var stream = await held.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        // player.js has run: the controls it reveals are shown.
        await Expect(page.Locator("[data-player-tools]")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-transcript-find]")).ToBeVisibleAsync();
        var before = await PlayerBoxAsync(page);
        Assert.Equal(0, before[0]);

        await stream.ContinueAsync();
        await WaitForMetadataAsync(page);
        // Two frames, so the layout after the metadata is drawn and any shift it made is reported.
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        var after = await PlayerBoxAsync(page);

        Assert.True(after[0] >= 1, "the metadata arrived");
        Assert.Equal(before[1], after[1], 0.5);
        Assert.Equal(before[2], after[2], 0.5);
        var shifts = await page.EvaluateAsync<double[]>("() => window.veekyShifts");
        Assert.True(shifts.Length == 0, $"the page moved what it had drawn: layout shifts {string.Join(", ", shifts)} (sum {shifts.Sum():0.###})");
    }

    /// <summary>The player's ready state, width and height.</summary>
    private static Task<double[]> PlayerBoxAsync(IPage page) =>
        page.EvalOnSelectorAsync<double[]>(Player, "v => { const box = v.getBoundingClientRect(); return [v.readyState, box.width, box.height]; }");

    [Fact]
    public async Task Pages_fit_a_phone_name_every_control_and_are_photographed_in_both_themes()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var pages = new (string Name, string Path)[]
        {
            ("library", "/"),
            ("video", $"/videos/{site.VideoId}?t={Seconds(site.Segments[1].Start)}"),
            // A spoken word: the shot shows a transcript highlight, not only title matches.
            ("search", "/search?q=elephant"),
        };
        var checkedOnly = new[] { "/upload", "/admin", "/admin/prompts", "/admin/llm-settings", $"/admin/categories/{site.OtherCategoryId}" };
        var problems = new List<string>();

        foreach (var (viewport, width) in new[] { (WebBrowser.Desktop, "desktop"), (WebBrowser.Phone, "phone") })
        {
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                var page = await site.AdminPageAsync(browser, viewport, scheme);
                foreach (var (name, path) in pages)
                {
                    await page.GotoAsync(site.BaseUrl + path);
                    if (name == "search")
                    {
                        await Expect(page.Locator("a.hit").First).ToContainTextAsync(IndexedVideoSite.VideoTitle);
                    }
                    if (name == "video")
                    {
                        await WaitForMetadataAsync(page);
                        await WaitForTimeAsync(page, site.Segments[1].Start);
                    }
                    if (scheme == ColorScheme.Light)
                    {
                        problems.AddRange(await CheckPageAsync(page, $"{name} at {width}"));
                    }
                    await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"{name}-{width}-{scheme.ToString().ToLowerInvariant()}"), FullPage = width == "phone" });
                }
                if (scheme == ColorScheme.Light)
                {
                    foreach (var path in checkedOnly)
                    {
                        await page.GotoAsync(site.BaseUrl + path);
                        problems.AddRange(await CheckPageAsync(page, $"{path} at {width}"));
                    }
                }
                await page.Context.CloseAsync();
            }
        }

        Assert.Empty(problems);
    }

    /// <summary>What is wrong with the page as shown: a horizontal scroll bar, or controls without an accessible name
    /// as Chromium's accessibility tree computes it.</summary>
    private static async Task<List<string>> CheckPageAsync(IPage page, string where)
    {
        var problems = new List<string>();
        var (scrollWidth, innerWidth) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("innerWidth"));
        if (scrollWidth > innerWidth)
        {
            problems.Add($"{where}: scrolls sideways ({scrollWidth} px wide in {innerWidth} px)");
        }
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var tree = await cdp.SendAsync("Accessibility.getFullAXTree");
        var controls = new HashSet<string> { "button", "link", "textbox", "searchbox", "combobox", "checkbox", "radio", "slider", "spinbutton", "switch", "menuitem", "tab", "listbox" };
        foreach (var node in tree!.Value.GetProperty("nodes").EnumerateArray())
        {
            if (node.TryGetProperty("ignored", out var ignored) && ignored.GetBoolean())
            {
                continue;
            }
            var role = node.TryGetProperty("role", out var r) && r.TryGetProperty("value", out var rv) ? rv.GetString() : null;
            var name = node.TryGetProperty("name", out var n) && n.TryGetProperty("value", out var nv) ? nv.ToString() : "";
            if (role is not null && controls.Contains(role) && string.IsNullOrWhiteSpace(name))
            {
                problems.Add($"{where}: a {role} without an accessible name (node {node.GetProperty("nodeId")})");
            }
        }
        await cdp.DetachAsync();
        return problems;
    }

    private static Task WaitForMetadataAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.querySelector('video#player')?.readyState >= 1", null, new() { Timeout = 30_000 });

    /// <summary>Waits until the player stands at <paramref name="seconds"/>, or just after it when a click also
    /// started playback.</summary>
    private static Task WaitForTimeAsync(IPage page, double seconds) =>
        page.WaitForFunctionAsync(
            $"() => {{ const t = document.querySelector('video#player').currentTime; return t > {Seconds(seconds)} - 0.05 && t < {Seconds(seconds)} + 1; }}",
            null, new() { Timeout = 15_000 });

    private static string Seconds(double value) => Veeky.Web.Components.Shared.MediaTime.ToQueryValue(value);

    private static string Clock(double value) => Veeky.Web.Components.Shared.MediaTime.Format(value);
}
