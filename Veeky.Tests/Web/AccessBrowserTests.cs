using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// Who sees what, in a real browser: the admin creates a User through the admin page with another category only;
/// that User finds neither the video in the library nor its moments in search, and its page answers not found.
/// </summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class AccessBrowserTests(IndexedVideoSite site)
{
    private const string OutsiderEmail = "outsider@veeky.test";
    private const string OutsiderPassword = "Outsider-Passw0rd!";

    [Fact]
    public async Task A_user_without_the_videos_category_sees_neither_the_video_nor_its_moments_nor_its_page()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();

        // The admin sees it all, and creates the User with a role and the other category through the form.
        var admin = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        await Expect(admin.Locator(".card")).ToContainTextAsync(IndexedVideoSite.VideoTitle);
        await admin.GotoAsync(site.BaseUrl + "/search?q=zanzibar");
        await Expect(admin.Locator("a.hit").First).ToContainTextAsync(IndexedVideoSite.VideoTitle);
        await admin.GotoAsync(site.BaseUrl + "/admin");
        await admin.GetByLabel("Email").FillAsync(OutsiderEmail);
        await admin.GetByLabel("Password").FillAsync(OutsiderPassword);
        await admin.GetByLabel("Role").SelectOptionAsync("User");
        await admin.GetByRole(AriaRole.Checkbox, new() { Name = IndexedVideoSite.OtherCategoryName }).CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = OutsiderEmail });
        await Expect(row).ToContainTextAsync("User");
        await Expect(row).ToContainTextAsync(IndexedVideoSite.OtherCategoryName);
        await Expect(row).Not.ToContainTextAsync(IndexedVideoSite.CategoryName);

        var outsider = await site.SignedInPageAsync(browser, WebBrowser.Desktop, OutsiderEmail, OutsiderPassword);
        await outsider.GotoAsync(site.BaseUrl + "/");
        await Expect(outsider.GetByRole(AriaRole.Heading, new() { Name = "Library" })).ToBeVisibleAsync();
        await Expect(outsider.Locator(".card")).ToHaveCountAsync(0);
        await Expect(outsider.Locator("main")).Not.ToContainTextAsync(IndexedVideoSite.VideoTitle);

        await outsider.GotoAsync(site.BaseUrl + "/search?q=zanzibar");
        await Expect(outsider.Locator("a.hit")).ToHaveCountAsync(0);
        await Expect(outsider.Locator("main")).Not.ToContainTextAsync(IndexedVideoSite.VideoTitle);

        await outsider.GotoAsync($"{site.BaseUrl}/videos/{site.VideoId}");
        await Expect(outsider.Locator("main")).ToContainTextAsync("does not exist, or it is not in a category you can see");
        await Expect(outsider.Locator("video")).ToHaveCountAsync(0);
        await Expect(outsider.Locator("[data-seek]")).ToHaveCountAsync(0);
    }
}
