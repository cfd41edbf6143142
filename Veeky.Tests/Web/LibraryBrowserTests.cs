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
/// The library as a person uses it in a real browser against the all-in-one host: filters and order in the address,
/// a count that agrees with the cards, editing a video's details, and bulk changes that name the count first.
/// </summary>
public sealed class LibraryBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Filters_and_order_live_in_the_address_and_the_count_agrees_with_the_cards(string width)
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (category, adminId) = await NewCategoryAsync("Filters " + width);
        var alpha = await SeedAsync(category, adminId, "Alpha launch", "The roadmap for spring", VideoStatus.Completed, 40);
        var beta = await SeedAsync(category, adminId, "Beta review", "Quarterly revenue by region", VideoStatus.Failed, 90);
        var gamma = await SeedAsync(category, adminId, "Gamma offsite", "Revenue games", VideoStatus.Completed, 10);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, width, $"/?categoryId={category}");

        await Expect(page.Locator("[data-video-card]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-live-count]")).ToHaveTextAsync($"3 videos in Filters {width}");
        await Expect(page.Locator("[data-video-card] .card__title")).ToHaveTextAsync(["Gamma offsite", "Beta review", "Alpha launch"]);

        await page.FillAsync("#library-q", "REVENUE");
        await page.SelectOptionAsync("#library-sort", "title");
        await page.ClickAsync("button:has-text('Show')");
        await page.WaitForURLAsync(url => url.Contains("sort=title", StringComparison.Ordinal));
        // Fields left at "any" stay out of the address, so it reads as what was asked.
        Assert.Equal($"{host.BaseUrl}/?q=REVENUE&categoryId={category}&sort=title", page.Url);
        await Expect(page.Locator("[data-video-card] .card__title")).ToHaveTextAsync(["Beta review", "Gamma offsite"]);
        await Expect(page.Locator("[data-live-count]")).ToHaveTextAsync($"2 videos in Filters {width}");
        await Expect(page.Locator("#library-q")).ToHaveValueAsync("REVENUE");

        await page.SelectOptionAsync("#library-status", "Failed");
        await page.ClickAsync("button:has-text('Show')");
        await page.WaitForURLAsync(url => url.Contains("status=Failed", StringComparison.Ordinal));
        await Expect(page.Locator("[data-video-card]")).ToHaveCountAsync(1);
        await Expect(page.Locator($"[data-video-card='{beta}']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-live-count]")).ToHaveTextAsync($"1 video in Filters {width}");

        // The address alone brings the same view back, as a bookmark would.
        await page.GotoAsync($"{host.BaseUrl}/?categoryId={category}&sort=duration");
        await Expect(page.Locator("[data-video-card] .card__title")).ToHaveTextAsync(["Beta review", "Alpha launch", "Gamma offsite"]);
        Assert.Equal([beta.ToString(), alpha.ToString(), gamma.ToString()],
            await page.Locator("[data-video-card]").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.videoCard)"));
        await Expect(page.Locator("#library-sort")).ToHaveValueAsync("duration");
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"library-filtered-{width}"), FullPage = true });
    }

    [Fact]
    public async Task The_owner_edits_title_description_keywords_and_category_from_the_card()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (category, adminId) = await NewCategoryAsync("Edit");
        var (elsewhere, _) = await NewCategoryAsync("Edit target");
        var video = await SeedAsync(category, adminId, "Untitled recording", null, VideoStatus.Completed, 30);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, "desktop", $"/?categoryId={category}");

        await page.Locator($"[data-video-card='{video}']").GetByRole(AriaRole.Link, new() { Name = "Edit Untitled recording" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit video" })).ToBeVisibleAsync();
        await page.FillAsync("#title", "");
        await page.FillAsync("#title", "   ");
        await page.ClickAsync("button:has-text('Save')");
        // The API refuses a blank title; the form says so beside the field and keeps the rest.
        await Expect(page.Locator("#title-error")).ToBeVisibleAsync();
        await page.FillAsync("#title", "Design review, week 12");
        await page.FillAsync("#description", "Walkthrough of the new player");
        await page.FillAsync("#keywords", "design, player , ");
        await page.SelectOptionAsync("#category", elsewhere.ToString());
        await page.ClickAsync("button:has-text('Save')");

        await page.WaitForURLAsync($"{host.BaseUrl}/?categoryId={category}");
        await Expect(page.Locator($"[data-video-card='{video}']")).ToHaveCountAsync(0);
        await using var scope = host.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Videos.AsNoTracking().SingleAsync(v => v.Id == video, Ct);
        Assert.Equal(("Design review, week 12", "Walkthrough of the new player", elsewhere), (row.Title, row.Description, row.CategoryId));
        Assert.Equal(["design", "player"], row.Keywords);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Bulk_delete_names_the_count_first_and_removes_only_the_ticked_videos(string width)
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (category, adminId) = await NewCategoryAsync("Bulk " + width);
        var keep = await SeedAsync(category, adminId, "Keep me", null, VideoStatus.Completed, 10);
        var first = await SeedAsync(category, adminId, "Old draft", null, VideoStatus.Completed, 10);
        var second = await SeedAsync(category, adminId, "Older draft", null, VideoStatus.Failed, 10);
        await using var browser = await WebBrowser.LaunchAsync();
        var libraryUrl = $"{host.BaseUrl}/?categoryId={category}";
        var page = await SignedInPageAsync(browser, width, $"/?categoryId={category}");

        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Old draft" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Older draft" }).CheckAsync();
        await Expect(page.Locator("[data-bulk-count]")).ToHaveTextAsync("2 videos selected");
        await page.SelectOptionAsync("#bulk-action", "delete");
        await Expect(page.Locator("#bulk-to")).ToBeHiddenAsync();
        await page.ClickAsync("button:has-text('Continue')");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Delete 2 videos?" })).ToBeVisibleAsync();
        await Expect(page.Locator(".bulk-list li")).ToHaveTextAsync(["Older draft", "Old draft"]);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // Nothing changes before the confirmation.
            Assert.Equal(3, await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Videos.CountAsync(v => v.CategoryId == category, Ct));
        }
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"library-bulk-confirm-{width}"), FullPage = true });
        await page.ClickAsync("button:has-text('Delete 2 videos')");

        await page.WaitForURLAsync(libraryUrl);
        await Expect(page.Locator("[data-video-card]")).ToHaveCountAsync(1);
        await Expect(page.Locator($"[data-video-card='{keep}']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-live-count]")).ToHaveTextAsync($"1 video in Bulk {width}");
        await using var after = host.Services.CreateAsyncScope();
        var left = await after.ServiceProvider.GetRequiredService<VeekyDbContext>().Videos.Where(v => v.CategoryId == category).Select(v => v.Id).ToListAsync(Ct);
        Assert.Equal([keep], left);
        Assert.DoesNotContain(first, left);
        Assert.DoesNotContain(second, left);
    }

    [Fact]
    public async Task Bulk_move_and_reindex_confirm_with_the_count_and_select_all_ticks_the_page()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (category, adminId) = await NewCategoryAsync("Move from");
        var (target, _) = await NewCategoryAsync("Move to");
        var one = await SeedAsync(category, adminId, "One", null, VideoStatus.Completed, 10);
        var two = await SeedAsync(category, adminId, "Two", null, VideoStatus.Completed, 10);
        await using var browser = await WebBrowser.LaunchAsync();
        var libraryUrl = $"{host.BaseUrl}/?categoryId={category}";
        var page = await SignedInPageAsync(browser, "desktop", $"/?categoryId={category}");

        await page.GetByLabel("Select all on this page").CheckAsync();
        await Expect(page.Locator("[data-bulk-count]")).ToHaveTextAsync("2 videos selected");
        await page.SelectOptionAsync("#bulk-action", "move");
        await page.SelectOptionAsync("#bulk-to", target.ToString());
        await page.ClickAsync("button:has-text('Continue')");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Move 2 videos to Move to" })).ToBeVisibleAsync();
        await page.ClickAsync("button:has-text('Move 2 videos')");
        await page.WaitForURLAsync(libraryUrl);
        await Expect(page.Locator("[data-video-card]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-live-count]")).ToHaveTextAsync("0 videos in Move from");

        await page.GotoAsync($"{host.BaseUrl}/?categoryId={target}");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select One" }).CheckAsync();
        await page.SelectOptionAsync("#bulk-action", "reindex");
        await page.ClickAsync("button:has-text('Continue')");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reindex 1 video?" })).ToBeVisibleAsync();
        await page.ClickAsync("button:has-text('Reindex 1 video')");
        await page.WaitForURLAsync($"{host.BaseUrl}/?categoryId={target}");
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        Assert.Equal(2, await db.Videos.CountAsync(v => v.CategoryId == target && (v.Id == one || v.Id == two), Ct));
        Assert.True(await db.Jobs.AnyAsync(j => j.VideoId == one, Ct));
        Assert.False(await db.Jobs.AnyAsync(j => j.VideoId == two, Ct));
    }

    [Fact]
    public async Task A_card_that_joins_live_adds_one_to_the_count()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (category, adminId) = await NewCategoryAsync("Live count");
        await SeedAsync(category, adminId, "Already here", null, VideoStatus.Completed, 10);
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Desktop });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{host.BaseUrl}/?categoryId={category}");
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        var streamOpen = page.WaitForResponseAsync(r => r.Url.EndsWith("/live/videos", StringComparison.Ordinal));
        await page.ClickAsync("button[type=submit]");
        await streamOpen;
        await Expect(page.Locator("[data-live-count]")).ToHaveTextAsync("1 video in Live count");

        var video = await host.SeedVideoAsync(category, adminId, VideoStatus.Pending);
        await host.Services.GetRequiredService<IProgressBroadcaster>().PublishAsync(
            new VideoProgressEvent(video.Id, category, VideoStatus.Pending, VideoStage.Queued, 0, null, DateTimeOffset.UtcNow), Ct);

        await Expect(page.Locator($"[data-video-card='{video.Id}']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-live-count]")).ToHaveTextAsync("2 videos in Live count");
        await Expect(page.Locator("[data-video-card]")).ToHaveCountAsync(2);
    }

    private async Task<(Guid Category, Guid AdminId)> NewCategoryAsync(string name)
    {
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(admin, name);
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("api/auth/me", Ct)).GetProperty("id").GetGuid();
        return (category, adminId);
    }

    /// <summary>A seeded video (no files, no job) with a description and duration, a little newer than the one before.</summary>
    private async Task<Guid> SeedAsync(Guid category, Guid uploader, string title, string? description, VideoStatus status, double duration)
    {
        var video = await host.SeedVideoAsync(category, uploader, status, status == VideoStatus.Failed ? "Probing failed." : null);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        var createdAt = DateTimeOffset.UtcNow.AddMinutes(-30).AddSeconds(await db.Videos.CountAsync(Ct));
        await db.Videos.Where(v => v.Id == video.Id).ExecuteUpdateAsync(set => set
            .SetProperty(v => v.Title, title).SetProperty(v => v.Description, description)
            .SetProperty(v => v.DurationSeconds, duration).SetProperty(v => v.CreatedAt, createdAt), Ct);
        return video.Id;
    }

    private async Task<IPage> SignedInPageAsync(WebBrowser browser, string width, string path)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + path);
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(host.BaseUrl + path);
        return page;
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var viewport = page.ViewportSize!.Width;
        Assert.True(width <= viewport, $"the page scrolls sideways: {width} px wide in a {viewport} px viewport");
    }
}
