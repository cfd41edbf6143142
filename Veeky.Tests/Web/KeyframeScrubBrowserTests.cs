using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// Scrubbing through a library card's keyframes in a real browser on the indexed four-scene sample: with the pointer
/// across the thumbnail and with ←/→ on the focused card, frames fetched on first use only, and nothing moving.
/// </summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class KeyframeScrubBrowserTests(IndexedVideoSite site)
{
    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Moving_the_pointer_across_a_card_shows_its_keyframes_loaded_on_first_hover_without_moving_anything(string width)
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop);
        await ParkPointerAsync(page);
        var asked = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/frames", StringComparison.Ordinal) || request.Url.Contains("/segments/", StringComparison.Ordinal))
            {
                asked.Add(request.Url);
            }
        };
        await page.GotoAsync($"{site.BaseUrl}/");
        // Layout shifts of anything inside the scrubbed card, by the shifted element. The card itself moving as a whole
        // is left out: on a phone the cards stack, so anything above it that changes (another card updating live) moves
        // it without the scrubbing having moved anything; its own size is checked below.
        await page.EvaluateAsync("""
            id => {
                window.shifts = [];
                new PerformanceObserver(list => list.getEntries().forEach(entry => entry.sources.forEach(source => {
                    const node = source.node && source.node.nodeType === 1 ? source.node : source.node?.parentElement;
                    const card = node && node.closest(`[data-video-card='${id}']`);
                    if (card && card !== node) window.shifts.push(node.outerHTML.slice(0, 120));
                }))).observe({ type: 'layout-shift' });
            }
            """, site.VideoId.ToString());
        var card = page.Locator($"[data-video-card='{site.VideoId}']");
        var thumb = card.Locator("[data-scrub]");
        await Expect(thumb).ToBeVisibleAsync();
        var before = await card.BoundingBoxAsync();
        Assert.Empty(asked);

        var box = (await thumb.BoundingBoxAsync())!;
        await FramesArriveAsync(page, () => page.Mouse.MoveAsync(box.X + box.Width * 0.05f, box.Y + box.Height / 2));
        var shown = card.Locator("[data-frames] img:not([hidden])");
        await Expect(shown).ToHaveCountAsync(1);
        await Expect(shown).ToHaveAttributeAsync("src", new Regex($"/api/videos/{site.VideoId}/segments/0/thumbnail\\?exp="));
        await Expect(card.Locator("[data-scrub-time]")).ToHaveTextAsync(new Regex("^00:[0-9]{2}$"));
        var frames = await card.Locator("[data-frames] img").CountAsync();
        Assert.Equal(site.Segments.Count, frames);

        await page.Mouse.MoveAsync(box.X + box.Width * 0.95f, box.Y + box.Height / 2);
        await Expect(shown).ToHaveAttributeAsync("src", new Regex($"/segments/{site.Segments[^1].Index}/thumbnail"));
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await shown.ElementHandleAsync());
        await Expect(card.Locator("[data-scrub-time]")).ToHaveTextAsync(new Regex("^00:[0-9]{2}$"));
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"library-scrub-{width}") });
        var during = await card.BoundingBoxAsync();

        await page.Mouse.MoveAsync(0, 0);
        await Expect(shown).ToHaveCountAsync(0);
        await Expect(card.Locator("[data-scrub-time]")).ToBeHiddenAsync();
        // The frames came once, on the first hover, and showing them moved nothing.
        Assert.Single(asked, url => url.Contains("/frames", StringComparison.Ordinal));
        Assert.Equal(before!.Height, during!.Height, 0.5);
        Assert.Equal(before.Width, during.Width, 0.5);
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.shifts"));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Arrow_keys_on_a_focused_card_step_through_its_keyframes_and_leaving_shows_the_thumbnail_again(string width)
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop);
        await ParkPointerAsync(page);
        await page.GotoAsync($"{site.BaseUrl}/");
        var card = page.Locator($"[data-video-card='{site.VideoId}']");
        var link = card.Locator(".card__link");
        await Expect(link).ToHaveAttributeAsync("aria-keyshortcuts", "ArrowLeft ArrowRight");
        var shown = card.Locator("[data-frames] img:not([hidden])");

        await FramesArriveAsync(page, () => link.FocusAsync());
        await Expect(card.Locator("[data-frames] img")).ToHaveCountAsync(site.Segments.Count);
        // Focus brought the card into view (on a phone it is below the fold); from here the page stays put.
        var scrollY = await page.EvaluateAsync<double>("() => window.scrollY");
        await Expect(shown).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(shown).ToHaveAttributeAsync("src", new Regex($"/segments/{site.Segments[0].Index}/thumbnail"));
        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(shown).ToHaveAttributeAsync("src", new Regex($"/segments/{site.Segments[1].Index}/thumbnail"));
        for (var i = 0; i < site.Segments.Count + 2; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }
        // Stops at the last frame rather than wrapping round.
        await Expect(shown).ToHaveAttributeAsync("src", new Regex($"/segments/{site.Segments[^1].Index}/thumbnail"));
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(shown).ToHaveAttributeAsync("src", new Regex($"/segments/{site.Segments[^2].Index}/thumbnail"));
        // The arrows scrubbed; they did not scroll the page.
        Assert.Equal(scrollY, await page.EvaluateAsync<double>("() => window.scrollY"));
        Assert.Equal(page.Url, $"{site.BaseUrl}/");

        await page.Keyboard.PressAsync("Shift+Tab");
        await Expect(shown).ToHaveCountAsync(0);
    }

    /// <summary>
    /// Signing in left the pointer where the submit button was. On a phone, focusing the card scrolls it under that
    /// spot, and the hover that follows scrubs the card too (to a frame picked by the pointer, not by the keys); a
    /// pointer in the page's top-left corner, on the header, is over no card however the page scrolls.
    /// </summary>
    private static Task ParkPointerAsync(IPage page) => page.Mouse.MoveAsync(0, 0);

    /// <summary>
    /// Does <paramref name="act"/> and waits for the card's frames to arrive. The first fetch of a cold host (the
    /// frames page's first request: compiling, signing the thumbnail links) can outlast an expectation's five seconds
    /// on a busy machine; waiting for the response itself takes as long as it takes, up to Playwright's action timeout.
    /// </summary>
    private static Task FramesArriveAsync(IPage page, Func<Task> act) =>
        page.RunAndWaitForResponseAsync(act, response => response.Url.Contains("/frames", StringComparison.Ordinal));
}
