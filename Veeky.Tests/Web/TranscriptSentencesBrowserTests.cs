using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The video page's transcript as sentences in a real browser on the indexed sample: every word once whatever the
/// scene cuts, each sentence seeking to its start, the one being said highlighted, and find in transcript on them.
/// </summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class TranscriptSentencesBrowserTests(IndexedVideoSite site)
{
    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task The_transcript_reads_as_sentences_that_seek_and_follow_playback(string width)
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop);
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");
        await page.WaitForFunctionAsync("() => document.querySelector('video#player')?.readyState >= 1", null, new() { Timeout = 30_000 });

        var sentences = page.Locator("[data-transcript] a.sentence");
        var texts = await page.Locator("[data-transcript] .sentence__text").AllTextContentsAsync();
        // The same words as the moments hold, each once and in order: a sentence across a scene cut is not repeated.
        Assert.Equal(Words(site.Segments.Select(s => s.Transcript)), Words(texts));
        var seeks = await sentences.EvaluateAllAsync<string[]>("links => links.map(l => l.dataset.seek)");
        var starts = seeks.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(starts.Order(), starts);

        await sentences.Last.ClickAsync();
        await WaitForTimeAsync(page, starts[^1]);
        await Expect(sentences.Last).ToHaveClassAsync(new Regex("is-current"));
        await Expect(sentences.Last).ToHaveAttributeAsync("aria-current", "time");
        await Expect(page.Locator("[data-transcript] .is-current")).ToHaveCountAsync(1);
        Assert.EndsWith($"?t={seeks[^1]}", page.Url);

        await page.EvalOnSelectorAsync("video#player", $"v => {{ v.pause(); v.currentTime = {(starts[0] + 0.05).ToString(CultureInfo.InvariantCulture)}; }}");
        await Expect(sentences.First).ToHaveClassAsync(new Regex("is-current"));
        await Expect(page.Locator("[data-transcript] .is-current")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"video-sentences-{width}"), FullPage = width == "phone" });
    }

    [Fact]
    public async Task A_t_link_marks_its_sentence_before_any_script_runs_and_find_marks_words_in_sentences()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");
        var firstStart = await page.Locator("[data-transcript] a.sentence").First.GetAttributeAsync("data-seek");

        var html = await page.Context.APIRequest.GetAsync($"{site.BaseUrl}/videos/{site.VideoId}?t={firstStart}");
        Assert.Matches(new Regex($"class=\"sentence is-current\" href=\"/videos/{site.VideoId}\\?t={Regex.Escape(firstStart!)}\""), await html.TextAsync());

        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Find in transcript" }).FillAsync("elephant");
        await Expect(page.Locator("[data-find-count]")).ToHaveTextAsync(new Regex("^1 of [0-9]+$"));
        await Expect(page.Locator("[data-transcript] .sentence__text mark.find-hit").First).ToHaveTextAsync(new Regex("^elephant$", RegexOptions.IgnoreCase));
    }

    private static List<string> Words(IEnumerable<string?> texts) =>
        texts.SelectMany(t => (t ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToList();

    private static Task WaitForTimeAsync(IPage page, double seconds) =>
        page.WaitForFunctionAsync(
            $"() => Math.abs(document.querySelector('video#player').currentTime - {seconds.ToString(CultureInfo.InvariantCulture)}) < 0.3",
            null, new() { Timeout = 15_000 });
}
