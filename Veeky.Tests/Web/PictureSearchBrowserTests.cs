using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>The search page's picture search in a real browser, on a host without an image model: the picture goes
/// through the form (chosen, dropped or pasted) and the page says which setting enables the search.</summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class PictureSearchBrowserTests(IndexedVideoSite site)
{
    [Fact]
    public async Task A_picture_dropped_on_the_search_page_is_sent_and_the_answer_names_the_setting_that_enables_it()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Desktop);
        await page.GotoAsync(site.BaseUrl + "/search");

        // A real PNG made by the browser, dropped as a file on the page.
        await page.EvaluateAsync("""
            async () => {
                const canvas = document.createElement('canvas');
                canvas.width = 8; canvas.height = 8;
                canvas.getContext('2d').fillRect(0, 0, 8, 8);
                const blob = await new Promise(done => canvas.toBlob(done, 'image/png'));
                const files = new DataTransfer();
                files.items.add(new File([blob], 'slide.png', { type: 'image/png' }));
                document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
            }
            """);

        await Expect(page.Locator("[data-search-results]")).ToContainTextAsync("ConnectionStrings:image-embeddings", new() { Timeout = 30_000 });
        Assert.EndsWith("/search", page.Url);

        // The form without a picture says what to do.
        await page.GetByRole(AriaRole.Button, new() { Name = "Search by picture" }).ClickAsync();
        await Expect(page.Locator("[data-search-results]")).ToContainTextAsync("Choose a picture");
    }

    [Fact]
    public async Task More_like_this_of_a_moment_without_stored_vectors_says_which_setting_gives_them()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await site.AdminPageAsync(browser, WebBrowser.Desktop);

        await page.GotoAsync($"{site.BaseUrl}/search?like={site.VideoId}:1");

        await Expect(page.Locator("[data-search-results]")).ToContainTextAsync("ConnectionStrings:ollama-embed");
    }
}
