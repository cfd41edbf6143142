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

/// <summary>
/// The library's bulk bar as a toolbar: the running count, the action, the category (for a move only), Continue and
/// Clear on one row at desktop width; wrapped onto the screen on a phone, every control a target of at least 24 px
/// with a label tied to it. Bulk move and editing a video at phone width, which the other library tests do at desktop
/// width only, are here too.
/// </summary>
public sealed class LibraryBulkBarBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Widths => ["desktop", "phone"];

    /// <summary>How far apart the tops of controls on one row may be: rounding, not a second row.</summary>
    private const double SameRow = 4;

    /// <summary>The smallest target WCAG 2.2 (2.5.8) accepts.</summary>
    private const double SmallestTarget = 24;

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task The_bulk_bar_is_one_row_at_desktop_width_and_wraps_onto_a_phone_screen_with_labelled_controls(string width)
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (category, adminId) = await NewCategoryAsync("Toolbar " + width);
        var (target, _) = await NewCategoryAsync("Toolbar target " + width);
        foreach (var title in new[] { "First take", "Second take", "Third take" })
        {
            await SeedAsync(category, adminId, title);
        }
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, width, $"/?categoryId={category}");
        var bar = page.Locator("form[data-bulk]");

        await page.GetByLabel("Select all on this page").CheckAsync();
        await Expect(bar.Locator("[data-bulk-count]")).ToHaveTextAsync("3 videos selected");
        // The labels are tied to the selects (hidden from sight, not from assistive technology).
        await Expect(page.GetByLabel("What to do with the selected videos")).ToHaveValueAsync("move");
        await Expect(page.GetByLabel("Category to move them to")).ToBeVisibleAsync();
        var controls = new[]
        {
            bar.Locator("[data-bulk-all]"), bar.Locator("[data-bulk-count]"), bar.Locator("#bulk-action"), bar.Locator("#bulk-to"),
            bar.GetByRole(AriaRole.Button, new() { Name = "Continue…" }), bar.GetByRole(AriaRole.Button, new() { Name = "Clear" }),
        };
        var boxes = new List<LocatorBoundingBoxResult>();
        foreach (var control in controls)
        {
            await Expect(control).ToBeVisibleAsync();
            boxes.Add((await control.BoundingBoxAsync())!);
        }
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"library-bulk-bar-{width}"), FullPage = width == "phone" });

        var viewport = page.ViewportSize!.Width;
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= viewport, $"the page scrolls sideways: {scrollWidth} px wide in a {viewport} px viewport");
        Assert.All(boxes, box =>
        {
            Assert.True(box.X >= 0 && box.X + box.Width <= viewport, $"a control at {box.X}..{box.X + box.Width} px leaves the {viewport} px screen");
        });
        // Every control but the count (text, not a target) is big enough to hit.
        Assert.All(boxes.Where((_, i) => i != 1), box =>
            Assert.True(box.Width >= SmallestTarget && box.Height >= SmallestTarget, $"a {box.Width}x{box.Height} px target"));
        if (width == "desktop")
        {
            var tops = boxes.Select(b => b.Y).ToList();
            Assert.True(tops.Max() - tops.Min() <= SameRow, $"the bar's controls are not on one row: tops at {string.Join(", ", tops)} px");
        }

        // The category is asked for only when moving.
        await page.SelectOptionAsync("#bulk-action", "reindex");
        await Expect(bar.Locator("#bulk-to")).ToBeHiddenAsync();
        await page.SelectOptionAsync("#bulk-action", "move");
        await Expect(bar.Locator("#bulk-to")).ToBeVisibleAsync();

        // Clear unticks every card and the count says so.
        await bar.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await Expect(page.Locator("input[form=bulk][name=ids]:checked")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Select all on this page")).Not.ToBeCheckedAsync();
        await Expect(bar.Locator("[data-bulk-count]")).ToHaveTextAsync("Tick videos to move, reindex or delete them together.");

        // A move still names the count and the category before anything changes.
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select First take" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select Third take" }).CheckAsync();
        await Expect(bar.Locator("[data-bulk-count]")).ToHaveTextAsync("2 videos selected");
        await page.SelectOptionAsync("#bulk-to", target.ToString());
        await bar.GetByRole(AriaRole.Button, new() { Name = "Continue…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Move 2 videos to Toolbar target {width}" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move 2 videos" }).ClickAsync();
        await page.WaitForURLAsync($"{host.BaseUrl}/?categoryId={category}");
        await Expect(page.Locator("[data-video-card]")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-video-card] .card__title")).ToHaveTextAsync(["Second take"]);
        await using var scope = host.Services.CreateAsyncScope();
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Videos.CountAsync(v => v.CategoryId == target, Ct));
    }

    [Fact]
    public async Task The_owner_edits_a_video_from_its_card_on_a_phone()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        var (category, adminId) = await NewCategoryAsync("Edit on a phone");
        var video = await SeedAsync(category, adminId, "Phone recording");
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, "phone", $"/?categoryId={category}");

        await page.Locator($"[data-video-card='{video}']").GetByRole(AriaRole.Link, new() { Name = "Edit Phone recording" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Edit video" })).ToBeVisibleAsync();
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= WebBrowser.Phone.Width, $"the edit page scrolls sideways: {scrollWidth} px wide");
        await page.FillAsync("#title", "Site visit, north yard");
        await page.FillAsync("#keywords", "site, yard");
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath("video-edit-phone"), FullPage = true });
        await page.ClickAsync("button:has-text('Save')");

        await page.WaitForURLAsync($"{host.BaseUrl}/?categoryId={category}");
        await Expect(page.Locator($"[data-video-card='{video}'] .card__title")).ToHaveTextAsync("Site visit, north yard");
        await using var scope = host.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Videos.AsNoTracking().SingleAsync(v => v.Id == video, Ct);
        Assert.Equal(["site", "yard"], row.Keywords);
    }

    private async Task<(Guid Category, Guid AdminId)> NewCategoryAsync(string name)
    {
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(admin, name);
        var adminId = (await admin.GetFromJsonAsync<JsonElement>("api/auth/me", Ct)).GetProperty("id").GetGuid();
        return (category, adminId);
    }

    private async Task<Guid> SeedAsync(Guid category, Guid uploader, string title)
    {
        var video = await host.SeedVideoAsync(category, uploader, VideoStatus.Completed);
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Videos.Where(v => v.Id == video.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.Title, title), Ct);
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
        await WebBrowser.SignInOnPageAsync(page, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword, host.BaseUrl + path);
        return page;
    }
}
