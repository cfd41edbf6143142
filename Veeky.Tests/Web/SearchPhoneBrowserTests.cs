using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The search page at phone and desktop widths in a real browser: on phones the filters fold into a disclosure and the
/// top bar's second search box and the keyboard hint go; at both widths Esc leaves the words and the address alone.
/// </summary>
public sealed class SearchPhoneBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    [Fact]
    public async Task On_a_phone_the_filters_fold_away_and_the_page_has_one_search_box_and_no_keyboard_hint()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, WebBrowser.Phone, "/search");

        await Expect(page.Locator("#q")).ToBeVisibleAsync();
        await Expect(page.Locator("#top-search")).ToBeHiddenAsync();
        await Expect(page.Locator("#search-keys")).ToBeHiddenAsync();
        var filters = page.Locator("summary", new() { HasText = "Filters" });
        await Expect(filters).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Category" })).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath("search-folded-phone"), FullPage = true });

        await filters.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Category" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Video" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Added from")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Added until")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");

        // An address that sets a filter shows the filters open, saying how many are set.
        await page.GotoAsync($"{host.BaseUrl}/search?q=x&from=2020-01-01");
        await Expect(page.Locator("summary", new() { HasText = "Filters (1 set)" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Added from")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_wide_screen_the_filters_show_without_a_fold_beside_both_boxes_and_the_hint()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, WebBrowser.Desktop, "/search");

        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Category" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Added until")).ToBeVisibleAsync();
        await Expect(page.Locator("summary", new() { HasText = "Filters" })).ToBeHiddenAsync();
        await Expect(page.Locator("#top-search")).ToBeVisibleAsync();
        await Expect(page.Locator("#search-keys")).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task Esc_in_the_search_box_leaves_the_words_and_the_address_alone(string width)
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop, "/search");
        var box = page.Locator("#q");

        await box.PressSequentiallyAsync("revenue");
        await page.WaitForURLAsync(new Regex("/search\\?q=revenue$"));
        await box.PressAsync("Escape");
        // Typing on after Esc adds to the words: Esc emptied nothing.
        await box.PressSequentiallyAsync(" growth");

        await Expect(box).ToHaveValueAsync("revenue growth");
        await page.WaitForURLAsync(new Regex("/search\\?q=revenue\\+growth$"));
        await Expect(box).ToBeFocusedAsync();
    }

    private async Task<IPage> SignedInPageAsync(WebBrowser browser, ViewportSize viewport, string path)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + path);
        await WebBrowser.SignInOnPageAsync(page, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword, host.BaseUrl + path);
        return page;
    }
}
