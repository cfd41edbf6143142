using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Veeky.Data;
using Veeky.Progress;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// live.js in a real browser, with the video's state driven by the test (a seeded video the indexer leaves alone):
/// progress moves the badge and meter on the library and the video page, and a failure shows its error and Reindex
/// on both, all without a reload.
/// </summary>
public sealed class LiveBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Progress_and_a_failure_reach_the_library_and_the_video_page_without_a_reload()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(admin, "Live browser " + Guid.NewGuid().ToString("N")[..8]);
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("api/auth/me", Ct)).GetProperty("id").GetGuid();
        var video = await host.SeedVideoAsync(category, adminId, VideoStatus.Processing);
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Desktop });

        var videoPage = await context.NewPageAsync();
        await videoPage.GotoAsync($"{host.BaseUrl}/videos/{video.Id}");
        await videoPage.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await videoPage.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await videoPage.ClickAsync("button[type=submit]");
        await videoPage.WaitForURLAsync($"{host.BaseUrl}/videos/{video.Id}");
        var library = await context.NewPageAsync();
        var libraryUrl = $"{host.BaseUrl}/?categoryId={category}";
        await library.GotoAsync(libraryUrl);
        foreach (var page in new[] { videoPage, library })
        {
            await page.EvaluateAsync("() => { window.__veekyMarker = 1; }");
        }
        var badge = videoPage.Locator("[data-live-badge] .badge");
        var card = library.Locator($"[data-video-card='{video.Id}']");
        await Expect(badge).ToHaveTextAsync("Transcribing 50%");
        await Expect(card.Locator(".badge")).ToHaveTextAsync("Transcribing 50%");

        // Once both show this, both streams are open: the failure below reaches them live.
        await ChangeAsync(video, VideoStatus.Processing, VideoStage.ReadingText, 0.75, null);
        await Expect(badge).ToHaveTextAsync("Reading text 75%");
        await Expect(videoPage.Locator("[data-live-stage]")).ToHaveTextAsync("Reading text");
        await Expect(videoPage.Locator("[data-live-meter]")).ToHaveJSPropertyAsync("value", 0.75);
        await Expect(card.Locator(".badge")).ToHaveTextAsync("Reading text 75%");
        await Expect(card.Locator("[data-live-meter]")).ToHaveJSPropertyAsync("value", 0.75);

        await ChangeAsync(video, VideoStatus.Failed, VideoStage.ReadingText, 0.75, "tesseract could not read the keyframes");
        await Expect(badge).ToHaveTextAsync("Failed");
        await Expect(videoPage.GetByRole(AriaRole.Alert)).ToContainTextAsync("tesseract could not read the keyframes");
        await Expect(videoPage.Locator("[data-live]")).ToHaveCountAsync(0);
        await Expect(videoPage.GetByRole(AriaRole.Button, new() { Name = "Reindex" })).ToBeVisibleAsync();
        await Expect(card.Locator(".badge")).ToHaveTextAsync("Failed");
        await Expect(card).ToContainTextAsync("tesseract could not read the keyframes");
        await Expect(card.Locator("[data-live-meter]")).ToBeHiddenAsync();
        foreach (var page in new[] { videoPage, library })
        {
            Assert.Equal(1, await page.EvaluateAsync<int?>("() => window.__veekyMarker ?? null"));
        }
        Assert.Equal(libraryUrl, library.Url);
        await library.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath("library-failed-desktop"), FullPage = true });

        // The card's Reindex asks the API and comes back to the same library page.
        await card.GetByRole(AriaRole.Button, new() { Name = "Reindex" }).ClickAsync();
        await library.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        Assert.Equal(libraryUrl, library.Url);
        Assert.Null(await library.EvaluateAsync<int?>("() => window.__veekyMarker ?? null"));
        await using var scope = host.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Jobs.AnyAsync(j => j.VideoId == video.Id, Ct));
    }

    [Fact]
    public async Task A_video_uploaded_after_the_library_loaded_joins_it_when_its_category_matches()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(admin, "Live new " + Guid.NewGuid().ToString("N")[..8]);
        var elsewhere = await WebAllInOneHost.CreateCategoryAsync(admin, "Live other " + Guid.NewGuid().ToString("N")[..8]);
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("api/auth/me", Ct)).GetProperty("id").GetGuid();
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Desktop });
        var library = await context.NewPageAsync();
        var libraryUrl = $"{host.BaseUrl}/?categoryId={category}";
        await library.GotoAsync(libraryUrl);
        await library.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await library.FillAsync("#password", WebAllInOneHost.AdminPassword);
        // Once the relay answers, the library's event stream is open and what is published next reaches it.
        var streamOpen = library.WaitForResponseAsync(r => r.Url.EndsWith("/live/videos", StringComparison.Ordinal));
        await library.ClickAsync("button[type=submit]");
        await library.WaitForURLAsync(libraryUrl);
        await streamOpen;
        await Expect(library.Locator("[data-live-empty]")).ToBeVisibleAsync();
        await library.EvaluateAsync("() => { window.__veekyMarker = 1; }");

        // A video of another category must not join this filtered page.
        var other = await host.SeedVideoAsync(elsewhere, adminId, VideoStatus.Pending);
        await ChangeAsync(other, VideoStatus.Pending, VideoStage.Queued, 0, null);
        var video = await host.SeedVideoAsync(category, adminId, VideoStatus.Pending);
        await ChangeAsync(video, VideoStatus.Pending, VideoStage.Queued, 0, null);
        await ChangeAsync(video, VideoStatus.Processing, VideoStage.Probing, 0.1, null);

        var card = library.Locator($"[data-video-card='{video.Id}']");
        await Expect(card).ToBeVisibleAsync();
        await Expect(card.Locator(".badge")).ToHaveTextAsync("Probing 10%");
        await Expect(library.Locator("[data-live-empty]")).ToHaveCountAsync(0);
        await Expect(library.Locator($"[data-video-card='{other.Id}']")).ToHaveCountAsync(0);
        Assert.Equal(1, await library.EvaluateAsync<int?>("() => window.__veekyMarker ?? null"));
    }

    /// <summary>What the indexer does on a change: save the video, then publish the event.</summary>
    private async Task ChangeAsync(Video video, VideoStatus status, VideoStage stage, double progress, string? error)
    {
        var now = DateTimeOffset.UtcNow;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
            var row = await db.Videos.SingleAsync(v => v.Id == video.Id, Ct);
            (row.Status, row.Stage, row.Progress, row.Error, row.UpdatedAt) = (status, stage, progress, error, now);
            await db.SaveChangesAsync(Ct);
        }
        await host.Services.GetRequiredService<IProgressBroadcaster>().PublishAsync(
            new VideoProgressEvent(video.Id, video.CategoryId, status, stage, progress, error, now), Ct);
    }
}
