using System.Globalization;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The video page's chapter strip on a phone, where chapters are at their narrowest: a chapter still seeks when tapped,
/// and the playhead, passing over a chapter's time, is drawn under it so the time stays readable.
/// </summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class TimelinePhoneBrowserTests(IndexedVideoSite site)
{
    [Fact]
    public async Task On_a_phone_a_tapped_chapter_seeks_and_the_playhead_passes_under_the_chapter_times()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Phone);
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");
        await page.WaitForFunctionAsync("() => document.querySelector('video#player')?.readyState >= 1", null, new() { Timeout = 30_000 });
        var second = site.Segments[1];

        var chapter = page.Locator($"[data-timeline] a[data-seek='{Seconds(second.Start)}']");
        await chapter.ClickAsync();
        await Expect(chapter).ToHaveAttributeAsync("aria-current", "time");
        await page.EvaluateAsync("() => document.querySelector('video#player').pause()");

        // Put the playhead right across the second chapter's time: the time worth the label's middle within the chapter.
        var at = await chapter.EvaluateAsync<double>("""
            a => {
                const item = a.parentElement.getBoundingClientRect(), label = a.querySelector('.timeline__time').getBoundingClientRect();
                const start = parseFloat(a.dataset.seek), end = parseFloat(a.dataset.end);
                return start + (label.left + label.width / 2 - item.left - 2.5) / item.width * (end - start);
            }
            """);
        await page.EvaluateAsync($"() => {{ document.querySelector('video#player').currentTime = {at.ToString(CultureInfo.InvariantCulture)}; }}");
        await page.WaitForFunctionAsync("""
            () => {
                const head = document.querySelector('[data-timeline-playhead]').getBoundingClientRect();
                const label = document.querySelector('[data-timeline] .is-current .timeline__time').getBoundingClientRect();
                return head.width > 0 && head.left + head.width / 2 > label.left && head.left + head.width / 2 < label.right;
            }
            """);
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath("timeline-playhead-phone"), FullPage = true });

        // What is painted on top where the two cross: the playhead ignores the pointer, so let it take part for the question.
        var onTop = await page.EvaluateAsync<string>("""
            () => {
                const head = document.querySelector('[data-timeline-playhead]');
                head.style.pointerEvents = 'auto';
                const box = head.getBoundingClientRect(), label = document.querySelector('[data-timeline] .is-current .timeline__time').getBoundingClientRect();
                const hit = document.elementFromPoint(box.left + box.width / 2, label.top + label.height / 2);
                head.style.pointerEvents = '';
                return hit === head ? 'the playhead' : hit?.closest('.timeline__time') ? 'the time' : hit?.outerHTML ?? 'nothing';
            }
            """);
        Assert.Equal("the time", onTop);
    }

    private static string Seconds(double value) => Veeky.Web.Components.Shared.MediaTime.ToQueryValue(value);
}
