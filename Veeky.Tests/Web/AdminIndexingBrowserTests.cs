using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Veeky.Data;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>The admin's indexing and storage page in a real browser: a failed video with its error and Retry, the
/// capabilities in words, the storage, at desktop and phone widths.</summary>
public sealed class AdminIndexingBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task A_failed_video_shows_its_error_and_Retry_queues_it_again(string width)
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(admin, "Indexing " + width);
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("api/auth/me", Ct)).GetProperty("id").GetGuid();
        var video = await host.SeedVideoAsync(category, adminId, VideoStatus.Failed, "Detecting scenes failed: ffmpeg could not process the video.");
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/admin/indexing");
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(host.BaseUrl + "/admin/indexing");

        var failed = page.Locator(".failed-list li", new() { HasText = video.Title });
        await Expect(failed).ToContainTextAsync("Detecting scenes failed: ffmpeg could not process the video.");
        await Expect(page.Locator("[data-capability='media']")).ToContainTextAsync("Videos are read and cut with ffmpeg.");
        await Expect(page.Locator("[data-storage='videos']")).Not.ToHaveTextAsync("0");
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= page.ViewportSize!.Width, $"the page scrolls sideways: {scrollWidth} px");
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"admin-indexing-{width}"), FullPage = true });

        // Held, so the job waits where the page can see it (the seeded video has no file: indexing it would fail again).
        using var held = host.Jobs.Hold();
        await failed.GetByRole(AriaRole.Button, new() { Name = $"Retry {video.Title}" }).ClickAsync();

        await page.WaitForURLAsync(host.BaseUrl + "/admin/indexing");
        await Expect(page.Locator(".failed-list li", new() { HasText = video.Title })).ToHaveCountAsync(0);
        await Expect(page.Locator("section[aria-labelledby='waiting-heading']")).ToContainTextAsync(video.Title);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        Assert.True(await db.Jobs.AnyAsync(j => j.VideoId == video.Id, Ct));
    }
}
