using System.Globalization;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// Every key of the video page's player in a real browser on the indexed sample, at desktop and phone widths: ←/→ 5 s,
/// j/l 10 s, k and Space play/pause, c captions; the same with the player itself focused (one step, not two) and with
/// Caps Lock on.
/// </summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class KeyboardSeekingBrowserTests(IndexedVideoSite site)
{
    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Each_player_key_seeks_pauses_or_toggles_captions_as_the_page_says(string width)
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop);
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}?t=3");
        await page.WaitForFunctionAsync("() => document.querySelector('video#player')?.readyState >= 1", null, new() { Timeout = 30_000 });
        await WaitForTimeAsync(page, 3);
        // The hint names every key, captions included: the sample has speech.
        await Expect(page.Locator(".player-tools__keys")).ToContainTextAsync("captions");
        Assert.Equal("hidden", await TrackModeAsync(page));

        foreach (var (key, expected) in new[] { ("ArrowRight", 8.0), ("ArrowLeft", 3.0), ("l", 13.0), ("j", 3.0), ("ArrowLeft", 0.0) })
        {
            await page.Keyboard.PressAsync(key);
            await WaitForTimeAsync(page, expected);
        }

        await page.Keyboard.PressAsync("k");
        await WaitForPausedAsync(page, false);
        await page.Keyboard.PressAsync("k");
        await WaitForPausedAsync(page, true);
        await page.Keyboard.PressAsync(" ");
        await WaitForPausedAsync(page, false);
        await page.Keyboard.PressAsync(" ");
        await WaitForPausedAsync(page, true);

        await page.Keyboard.PressAsync("c");
        await page.WaitForFunctionAsync("() => document.getElementById('player').textTracks[0].mode === 'showing'");
        await page.Keyboard.PressAsync("c");
        await page.WaitForFunctionAsync("() => document.getElementById('player').textTracks[0].mode === 'hidden'");

        // With Caps Lock on the letters still work.
        await SetTimeAsync(page, 3);
        await page.Keyboard.PressAsync("L");
        await WaitForTimeAsync(page, 13);
        await page.Keyboard.PressAsync("C");
        await page.WaitForFunctionAsync("() => document.getElementById('player').textTracks[0].mode === 'showing'");
        await page.Keyboard.PressAsync("c");

        // The player focused (its own controls take keys too): one step of 5 s per press, not the browser's and ours.
        await SetTimeAsync(page, 3);
        await page.Locator("video#player").FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await WaitForTimeAsync(page, 8);
        await page.WaitForTimeoutAsync(300);
        await WaitForTimeAsync(page, 8);
        await page.Keyboard.PressAsync("k");
        await WaitForPausedAsync(page, false);
        await page.Keyboard.PressAsync(" ");
        await WaitForPausedAsync(page, true);
        await page.Keyboard.PressAsync("c");
        await page.WaitForFunctionAsync("() => document.getElementById('player').textTracks[0].mode === 'showing'");
    }

    private static Task<string> TrackModeAsync(IPage page) =>
        page.EvaluateAsync<string>("() => document.getElementById('player').textTracks[0].mode");

    private static async Task SetTimeAsync(IPage page, double seconds)
    {
        await page.EvalOnSelectorAsync("video#player", $"v => {{ v.pause(); v.currentTime = {seconds.ToString(CultureInfo.InvariantCulture)}; }}");
        await WaitForTimeAsync(page, seconds);
    }

    private static Task WaitForPausedAsync(IPage page, bool paused) =>
        page.WaitForFunctionAsync($"() => document.querySelector('video#player').paused === {(paused ? "true" : "false")}");

    private static Task WaitForTimeAsync(IPage page, double seconds) =>
        page.WaitForFunctionAsync(
            $"() => Math.abs(document.querySelector('video#player').currentTime - {seconds.ToString(CultureInfo.InvariantCulture)}) < 0.3",
            null, new() { Timeout = 15_000 });
}
