using System.Net.Http.Json;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// Files dropped anywhere on the library in a real browser: for people who may upload they join the upload page's
/// queue (same form, same checks, sent on Upload); for readers the library offers no drop target.
/// </summary>
public sealed class DropUploadBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task Files_dropped_on_the_library_join_the_upload_queue_and_are_checked_as_on_the_upload_page(string width)
    {
        Requires.Tools([WebBrowser.ChromiumPath, .. SampleVideoGenerator.Tools]);
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(admin, "Dropped " + width);
        var video = await File.ReadAllBytesAsync(await SampleVideos.ScenesPathAsync(), Ct);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, width, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var section = page.Locator("[data-library-drop]");
        await Expect(section).ToBeHiddenAsync();

        // Dragging over any part of the page says where the files will go.
        await DragAsync(page, "dragenter", "h1");
        await Expect(page.Locator("[data-library-drop-hint]")).ToBeVisibleAsync();
        await DropAsync(page, ".library-filters", ("quarterly_review-final.mp4", "video/mp4", video), ("notes.txt", "text/plain", "not a video"u8.ToArray()));

        await Expect(page.Locator("[data-library-drop-hint]")).ToBeHiddenAsync();
        await Expect(section).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Upload the dropped videos" })).ToBeFocusedAsync();
        var rows = section.Locator(".upload-item");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("[data-file-title]")).ToHaveValueAsync("quarterly review final");
        // Nothing is sent before the person says so.
        await Expect(rows.Nth(0).Locator("[data-file-percent]")).ToHaveTextAsync("Ready to send");

        await section.Locator("#categoryId").SelectOptionAsync(category.ToString());
        await section.GetByRole(AriaRole.Button, new() { Name = "Upload 2 videos" }).ClickAsync();

        await Expect(rows.Nth(0).Locator("[data-file-link]")).ToHaveTextAsync("Open “quarterly review final”", new() { Timeout = 60_000 });
        await Expect(rows.Nth(1).Locator("[data-file-percent]")).ToHaveTextAsync("Refused", new() { Timeout = 60_000 });
        await Expect(rows.Nth(1).Locator("[data-file-message]")).Not.ToBeEmptyAsync();
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"library-drop-upload-{width}"), FullPage = true });
        var listed = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"api/videos?categoryId={category}", Ct);
        Assert.Equal(1, listed.GetProperty("total").GetInt32());
        Assert.Equal("quarterly review final", listed.GetProperty("items")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_reader_has_no_drop_target_on_the_library()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(admin, "Readers only");
        const string email = "reader.drop@veeky.test", password = "Reader-Drop-1234";
        using (var created = await admin.PostAsJsonAsync("api/users", new { email, password, role = "User", categoryIds = new[] { category } }, Ct))
        {
            created.EnsureSuccessStatusCode();
        }
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, "desktop", email, password);

        Assert.Equal(0, await page.Locator("[data-library-drop], [data-library-drop-hint], form[data-upload]").CountAsync());
        await DragAsync(page, "dragenter", "h1");
        var accepted = await page.EvaluateAsync<bool>("""
            () => {
                const files = new DataTransfer();
                files.items.add(new File(['x'], 'clip.mp4', { type: 'video/mp4' }));
                const over = new DragEvent('dragover', { dataTransfer: files, bubbles: true, cancelable: true });
                document.querySelector('h1').dispatchEvent(over);
                return over.defaultPrevented;
            }
            """);
        // Nothing on the page takes the drag: the browser's own handling applies, as on any page without a target.
        Assert.False(accepted);
    }

    private static Task DragAsync(IPage page, string type, string selector) =>
        page.EvaluateAsync($$"""
            () => {
                const files = new DataTransfer();
                files.items.add(new File(['x'], 'x.mp4', { type: 'video/mp4' }));
                document.querySelector('{{selector}}').dispatchEvent(new DragEvent('{{type}}', { dataTransfer: files, bubbles: true, cancelable: true }));
            }
            """);

    private static Task DropAsync(IPage page, string selector, params (string Name, string Type, byte[] Bytes)[] files) =>
        page.EvaluateAsync("""
            ([selector, files]) => {
                const transfer = new DataTransfer();
                for (const [name, type, base64] of files) {
                    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
                    transfer.items.add(new File([bytes], name, { type }));
                }
                const target = document.querySelector(selector);
                target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
                target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
            }
            """, new object[] { selector, files.Select(f => new[] { f.Name, f.Type, Convert.ToBase64String(f.Bytes) }).ToArray() });

    private async Task<IPage> SignedInPageAsync(WebBrowser browser, string width, string email, string password)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/");
        await WebBrowser.SignInOnPageAsync(page, email, password, host.BaseUrl + "/");
        return page;
    }
}
