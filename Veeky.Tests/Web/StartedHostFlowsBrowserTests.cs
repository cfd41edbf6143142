using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The main flows, once each at desktop and phone widths, on the host <c>scripts/run.sh</c> starts (published output,
/// its own process): the library, a video that plays, search landing on a moment, an upload through the form, the
/// account page from the user menu, and a category made on the admin page. The in-process browser tests go deeper;
/// these prove the same flows work on what people run. What a flow adds it removes, so the collection's other
/// checks see the same site whatever order they run in.
/// </summary>
[Collection(StartedHostCollection.Name)]
public sealed class StartedHostFlowsBrowserTests(StartedVideoSite site)
{
    private static readonly TimeSpan IndexingTimeout = TimeSpan.FromMinutes(4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Widths => ["desktop", "phone"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Library_video_search_upload_account_and_admin_work_on_the_host_run_sh_starts(string width)
    {
        await site.ReadyAsync();
        using var media = new TempFolder("veeky-started-flows");
        var clip = await new SampleVideoGenerator().GenerateTwoSceneClipAsync(media.File($"smoke_{width}.mp4"), Ct);
        using var api = await IndexedVideoSite.AdminApiAsync(site.BaseUrl, StartedHost.AdminEmail, StartedHost.AdminPassword);
        await using var context = await site.NewContextAsync("Admin", width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop);
        var page = await context.NewPageAsync();

        // Library → video: the card opens the video page, and the published host streams the video to its player.
        await page.GotoAsync(site.BaseUrl + "/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Library", Level = 1 })).ToBeVisibleAsync();
        var card = page.Locator($"[data-video-card='{site.VideoId}']");
        await Expect(card).ToContainTextAsync(IndexedVideoSite.VideoTitle);
        await card.Locator(".card__link").ClickAsync();
        await page.WaitForURLAsync(new Regex($"/videos/{site.VideoId}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = IndexedVideoSite.VideoTitle, Level = 1 })).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const v = document.querySelector('video#player'); return v && v.readyState >= 1 && v.duration > 0; }");

        // Search → moment: Enter in the search box lists the moments, and a hit lands on the video.
        await page.GotoAsync(site.BaseUrl + "/search");
        await page.FillAsync("#q", "zanzibar");
        await page.Keyboard.PressAsync("Enter");
        var hit = page.Locator("a.hit").First;
        await Expect(hit).ToContainTextAsync(IndexedVideoSite.VideoTitle);
        await hit.ClickAsync();
        await page.WaitForURLAsync(new Regex($"/videos/{site.VideoId}"));

        // Upload: the form sends the file and links its video page (into the category the Editor and User cannot see).
        await page.GotoAsync(site.BaseUrl + "/upload");
        await page.SetInputFilesAsync("#file", clip);
        await page.Locator("#categoryId").SelectOptionAsync(site.OtherCategoryId.ToString());
        await page.Locator("form[data-upload] button[type=submit]").ClickAsync();
        var link = page.Locator(".upload-item [data-file-link]");
        await Expect(link).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var uploaded = Guid.Parse(Regex.Match((await link.GetAttributeAsync("href"))!, "^/videos/([0-9a-f-]{36})$").Groups[1].Value);
        await WaitUntilIndexedAsync(api, uploaded);

        // Account: from the user menu.
        await page.GotoAsync(site.BaseUrl + "/");
        await page.Locator(".user-menu summary").ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Your account" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/account$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your account", Level = 1 })).ToBeVisibleAsync();

        // Admin: a category made on the admin page is listed there.
        var name = $"Started flows {width}";
        await page.GotoAsync(site.BaseUrl + "/admin");
        await page.FillAsync("#new-category", name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add category" }).ClickAsync();
        await Expect(page.Locator(".list")).ToContainTextAsync(name);
        await page.ScreenshotAsync(new() { Path = WebBrowser.ScreenshotPath($"started-host-admin-{width}"), FullPage = true });

        // Leave the site as the collection's other checks expect it.
        (await api.DeleteAsync($"/api/videos/{uploaded}", Ct)).EnsureSuccessStatusCode();
        var categories = await api.GetFromJsonAsync<JsonElement>("/api/categories", Ct);
        var made = categories.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
        (await api.DeleteAsync($"/api/categories/{made}", Ct)).EnsureSuccessStatusCode();
    }

    private static async Task WaitUntilIndexedAsync(HttpClient api, Guid video)
    {
        var deadline = DateTimeOffset.UtcNow + IndexingTimeout;
        while (true)
        {
            var status = await api.GetFromJsonAsync<JsonElement>($"/api/videos/{video}/status", Ct);
            var state = status.GetProperty("status").GetString();
            if (state == "Completed")
            {
                return;
            }
            Assert.True(state != "Failed" && DateTimeOffset.UtcNow < deadline, $"The uploaded clip did not index: {status}");
            await Task.Delay(500, Ct);
        }
    }
}
