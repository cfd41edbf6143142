using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The search page in headless Chromium against the all-in-one host, over two videos uploaded and indexed through the
/// API once per class: a hostile title stays text, the keyboard reaches and opens moments, the address holds the
/// search, and the filters narrow it.
/// </summary>
public sealed class SearchBrowserTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    /// <summary>The title the brief names: a script that would set <c>window.__xss</c> if it ever ran.</summary>
    private const string HostileTitle = "<script>window.__xss=1</script> Demo";

    /// <summary>Searched as description (the pipeline's transcript comes from speech, which cannot say markup).</summary>
    private const string HostileDescription = "The demo flow <script>window.__xss=2</script> and <img src=x onerror=\"window.__xss=3\"> end.";

    private const string PlainTitle = "Plain demo walkthrough";

    /// <summary>Indexing two six-second clips takes seconds; the margin covers a busy two-core machine.</summary>
    private static readonly TimeSpan IndexingTimeout = TimeSpan.FromMinutes(3);

    private static readonly SemaphoreSlim LibraryLock = new(1, 1);
    private static (string BaseUrl, Library Videos)? library;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_hostile_title_and_description_are_shown_as_text_and_never_run()
    {
        var videos = await LibraryAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser);

        await page.GotoAsync(host.BaseUrl + "/search?q=demo");
        var hostileGroup = page.Locator(".result-group", new() { Has = page.Locator($"a[href='/videos/{videos.Hostile}']") });
        await Expect(hostileGroup.Locator(".result-group__title")).ToHaveTextAsync(HostileTitle);
        await Expect(hostileGroup.Locator(".snippet").First).ToContainTextAsync("<script>window.__xss=2</script>");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));

        // The same through a live fragment, which goes in by innerHTML.
        await TypeAndWaitForResultsAsync(page, "demo flow");
        await Expect(page.Locator(".result-group__title").First).ToHaveTextAsync(HostileTitle);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        Assert.Equal(0, await page.Locator("[data-search-results] script, [data-search-results] img[onerror]").CountAsync());
        await ShotAsync(page, "search-hostile-desktop");
    }

    [Fact]
    public async Task The_keyboard_finds_moves_through_and_opens_moments_without_a_page_load()
    {
        var videos = await LibraryAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser);
        await page.GotoAsync(host.BaseUrl + "/search");
        await page.EvaluateAsync("() => { window.__samePage = true; }");
        // Every control has an accessible name.
        await Expect(page.GetByRole(AriaRole.Searchbox, new() { Name = "Words said or shown" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Category" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Video" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Added from")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Added until")).ToBeVisibleAsync();

        await page.Locator("h1").ClickAsync();
        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("#q")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("demo");
        await PressAndWaitForResultsAsync(page, "Enter");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__samePage === true"), "Enter loaded a new page instead of fetching results");
        Assert.EndsWith("/search?q=demo", page.Url);

        // The clips say nothing: both videos match by their title and description, each as one whole-video row.
        var hits = page.Locator("[data-hit]");
        await Expect(hits).ToHaveCountAsync(2);
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(hits.Nth(0)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(hits.Nth(1)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(hits.Nth(0)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(page.Locator("#q")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#q")).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("ArrowDown");
        var target = await hits.Nth(0).GetAttributeAsync("href");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => url.EndsWith(target!, StringComparison.Ordinal));
        Assert.Contains(page.Url, new[] { $"{host.BaseUrl}/videos/{videos.Plain}", $"{host.BaseUrl}/videos/{videos.Hostile}" });
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task A_video_matching_only_by_its_title_is_one_whole_video_link_that_opens_it_at_its_start(string width)
    {
        var videos = await LibraryAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop);

        // "walkthrough" is only in the plain video's title: one row for the video, not one per scene.
        await page.GotoAsync(host.BaseUrl + "/search?q=walkthrough");
        var row = page.GetByRole(AriaRole.Link, new() { Name = $"{PlainTitle}, Whole video" });
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator("[data-hit]")).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Matches in its title");
        await ShotAsync(page, $"search-video-row-{width}");

        await row.ClickAsync();
        await page.WaitForURLAsync($"{host.BaseUrl}/videos/{videos.Plain}");
    }

    [Fact]
    public async Task The_address_holds_the_query_and_filters_and_a_shared_address_shows_the_same_search()
    {
        var videos = await LibraryAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser);
        await page.GotoAsync(host.BaseUrl + "/search");

        await TypeAndWaitForResultsAsync(page, "demo");
        await SelectAndWaitForResultsAsync(page, "#search-category", videos.Category.ToString());
        await SelectAndWaitForResultsAsync(page, "#search-video", videos.Plain.ToString());
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd");
        await FillAndWaitForResultsAsync(page, "#search-from", yesterday);

        Assert.EndsWith($"/search?q=demo&categoryId={videos.Category}&videoId={videos.Plain}&from={yesterday}", page.Url);
        await Expect(page.Locator("#top-search")).ToHaveValueAsync("demo");
        await Expect(page.Locator(".result-group")).ToHaveCountAsync(1);
        await Expect(page.Locator(".result-group__title")).ToHaveTextAsync(PlainTitle);

        var shared = await SignedInPageAsync(browser);
        await shared.GotoAsync(page.Url);
        await Expect(shared.Locator(".result-group__title")).ToHaveTextAsync(PlainTitle);
        await Expect(shared.Locator("#q")).ToHaveValueAsync("demo");
        await Expect(shared.Locator("#search-video")).ToHaveValueAsync(videos.Plain.ToString());
        await Expect(shared.Locator("#search-category")).ToHaveValueAsync(videos.Category.ToString());
        await Expect(shared.Locator("#search-from")).ToHaveValueAsync(yesterday);
        await ShotAsync(shared, "search-filtered-desktop");
    }

    [Fact]
    public async Task The_date_filter_hides_videos_created_outside_the_range()
    {
        await LibraryAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser);
        await page.GotoAsync(host.BaseUrl + "/search?q=demo");
        await Expect(page.Locator(".result-group")).ToHaveCountAsync(2);

        await FillAndWaitForResultsAsync(page, "#search-to", "2020-12-31");

        await Expect(page.Locator(".result-group")).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-search-results]")).ToContainTextAsync("No moment matches.");
        Assert.EndsWith("/search?q=demo&to=2020-12-31", page.Url);

        await FillAndWaitForResultsAsync(page, "#search-to", "");
        await FillAndWaitForResultsAsync(page, "#search-from", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd"));
        await Expect(page.Locator(".result-group")).ToHaveCountAsync(2);
    }

    /// <summary>The two videos, uploaded and indexed once for the host every test of this class shares.</summary>
    private async Task<Library> LibraryAsync()
    {
        Requires.Tools(WebBrowser.ChromiumPath, "ffmpeg");
        await LibraryLock.WaitAsync(Ct);
        try
        {
            if (library is { } known && known.BaseUrl == host.BaseUrl)
            {
                return known.Videos;
            }
            using var http = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
            var login = await http.PostAsJsonAsync("/api/auth/login",
                new { email = WebAllInOneHost.AdminEmail, password = WebAllInOneHost.AdminPassword }, Ct);
            login.EnsureSuccessStatusCode();
            var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var category = await http.PostAsJsonAsync("/api/categories", new { name = "Search browser tests" }, Ct);
            category.EnsureSuccessStatusCode();
            var categoryId = (await category.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

            using var media = new TempFolder("veeky-search-browser");
            var clip = await File.ReadAllBytesAsync(await new SampleVideoGenerator().GenerateTwoSceneClipAsync(media.File("clip.mp4"), Ct), Ct);
            var hostile = await UploadAsync(http, clip, HostileTitle, HostileDescription, categoryId);
            var plain = await UploadAsync(http, clip, PlainTitle, "An ordinary demo.", categoryId);
            await WaitUntilIndexedAsync(http, hostile);
            await WaitUntilIndexedAsync(http, plain);
            var videos = new Library(categoryId, hostile, plain);
            library = (host.BaseUrl, videos);
            return videos;
        }
        finally
        {
            LibraryLock.Release();
        }
    }

    private static async Task<Guid> UploadAsync(HttpClient http, byte[] clip, string title, string description, Guid categoryId)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(title), "title" },
            { new StringContent(description), "description" },
            { new StringContent(categoryId.ToString()), "categoryId" },
        };
        var file = new ByteArrayContent(clip);
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "file", "clip.mp4");
        var response = await http.PostAsync("/api/videos", form, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private static async Task WaitUntilIndexedAsync(HttpClient http, Guid id)
    {
        var deadline = DateTime.UtcNow + IndexingTimeout;
        while (true)
        {
            var status = await http.GetFromJsonAsync<JsonElement>($"/api/videos/{id}/status", Ct);
            var state = status.GetProperty("status").GetString();
            if (state == "Completed")
            {
                return;
            }
            Assert.True(state != "Failed", $"Indexing failed: {status}");
            Assert.True(DateTime.UtcNow < deadline, $"Not indexed within {IndexingTimeout}: {status}");
            await Task.Delay(250, Ct);
        }
    }

    private async Task<IPage> SignedInPageAsync(WebBrowser browser, ViewportSize? viewport = null)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport ?? WebBrowser.Desktop });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/login");
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }

    /// <summary>Runs the action and waits for the results search.js inserts after it (its painted event).</summary>
    private static async Task WaitForResultsAfterAsync(IPage page, Func<Task> action)
    {
        await page.EvaluateAsync("""
            () => { window.__painted = false;
                    document.addEventListener("veeky:search-painted", () => { window.__painted = true; }, { once: true }); }
            """);
        await action();
        await page.WaitForFunctionAsync("() => window.__painted === true");
    }

    private static Task TypeAndWaitForResultsAsync(IPage page, string text) =>
        WaitForResultsAfterAsync(page, () => page.FillAsync("#q", text));

    private static Task PressAndWaitForResultsAsync(IPage page, string key) =>
        WaitForResultsAfterAsync(page, () => page.Keyboard.PressAsync(key));

    private static Task SelectAndWaitForResultsAsync(IPage page, string selector, string value) =>
        WaitForResultsAfterAsync(page, () => page.SelectOptionAsync(selector, value));

    private static Task FillAndWaitForResultsAsync(IPage page, string selector, string value) =>
        WaitForResultsAfterAsync(page, () => page.FillAsync(selector, value));

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = WebBrowser.ScreenshotPath(name), FullPage = true });


    private sealed record Library(Guid Category, Guid Hostile, Guid Plain);
}
