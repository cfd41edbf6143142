using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Veeky.Data;
using Veeky.Jobs;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>The admin's indexing page shows a running video with its stage, progress and worker, and a waiting one,
/// at desktop and phone widths (the failed list and Retry are in <see cref="AdminIndexingBrowserTests"/>).</summary>
public sealed class AdminIndexingQueueBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task A_running_video_shows_its_stage_progress_and_worker_and_a_waiting_one_is_listed(string width)
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(admin, "Queue " + width);
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("api/auth/me", Ct)).GetProperty("id").GetGuid();
        var running = await host.SeedVideoAsync(category, adminId, VideoStatus.Processing);
        var waiting = await host.SeedVideoAsync(category, adminId, VideoStatus.Pending);
        var worker = $"indexer-{width}-7";
        var now = DateTimeOffset.UtcNow;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
            // One a live worker holds and one no worker may claim yet: the host's own indexer leaves both alone.
            db.Jobs.Add(new IndexingJob
            {
                Id = Guid.CreateVersion7(), VideoId = running.Id, Status = JobStatus.Running, Attempts = 1, LeaseOwner = worker,
                LeaseExpiresAt = now.AddHours(1), RunAfter = now, CreatedAt = now, UpdatedAt = now,
            });
            db.Jobs.Add(new IndexingJob { Id = Guid.CreateVersion7(), VideoId = waiting.Id, Status = JobStatus.Queued, RunAfter = now.AddHours(1), CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync(Ct);
            await db.Videos.Where(v => v.Id == running.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Stage, VideoStage.Transcribing).SetProperty(v => v.Progress, 0.4), Ct);
        }
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/admin/indexing");
        await WebBrowser.SignInOnPageAsync(page, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword, host.BaseUrl + "/admin/indexing");

        var row = page.Locator("section[aria-labelledby='running-heading'] tr", new() { HasText = running.Title });
        await Expect(row.Locator("td")).ToHaveTextAsync([running.Title, "Transcribing 40%", worker]);
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = running.Title })).ToHaveAttributeAsync("href", $"/videos/{running.Id}");
        await Expect(page.Locator("section[aria-labelledby='waiting-heading'] tr", new() { HasText = waiting.Title })).ToBeVisibleAsync();
        // The tables may scroll inside themselves on a phone; the page itself never scrolls sideways.
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= page.ViewportSize!.Width, $"the page scrolls sideways: {scrollWidth} px");
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"admin-indexing-running-{width}"), FullPage = true });
    }
}
