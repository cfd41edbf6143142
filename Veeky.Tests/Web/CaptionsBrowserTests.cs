using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>Captions on the video page of an indexed video with speech: the player's track, its button and the downloads.</summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class CaptionsBrowserTests(IndexedVideoSite site)
{
    [Fact]
    public async Task The_captions_button_shows_the_spoken_words_on_the_player_and_the_browser_remembers_it()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Captions" });
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal("hidden", await TrackModeAsync(page));

        await button.ClickAsync();

        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal("showing", await TrackModeAsync(page));
        // The track's WebVTT loaded through its signed link and holds the spoken sentence.
        await page.WaitForFunctionAsync("() => { const t = document.getElementById('player').textTracks[0]; return t.cues && t.cues.length > 0; }");
        var text = await page.EvaluateAsync<string>("() => [...document.getElementById('player').textTracks[0].cues].map(c => c.text).join(' ')");
        Assert.Contains("elephant", text);

        await page.ReloadAsync();
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal("showing", await TrackModeAsync(page));

        await page.Locator("body").PressAsync("c");
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal("hidden", await TrackModeAsync(page));
    }

    [Fact]
    public async Task The_video_page_offers_the_captions_as_WebVTT_and_SubRip_downloads()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        await page.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");

        var srtLink = page.GetByRole(AriaRole.Link, new() { Name = "SubRip (.srt)" });
        await Expect(srtLink).ToHaveAttributeAsync("download", IndexedVideoSite.VideoTitle + ".srt");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "WebVTT" })).ToHaveAttributeAsync("download", IndexedVideoSite.VideoTitle + ".vtt");
        var download = await page.RunAndWaitForDownloadAsync(() => srtLink.ClickAsync());
        var saved = await download.PathAsync();
        var srt = await File.ReadAllTextAsync(saved!);

        Assert.StartsWith("1\r\n00:00:0", srt);
        Assert.Contains("elephant", srt);
    }

    private static Task<string> TrackModeAsync(IPage page) =>
        page.EvaluateAsync<string>("() => document.getElementById('player').textTracks[0].mode");
}
