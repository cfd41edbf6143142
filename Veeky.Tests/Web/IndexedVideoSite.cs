using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>The browser tests of the video page and of access share one indexed site (indexing is the slow part).</summary>
[CollectionDefinition(Name)]
public sealed class IndexedVideoCollection : ICollectionFixture<IndexedVideoSite>
{
    public const string Name = "Indexed video site";
}

/// <summary>
/// The all-in-one host with the cached four-scene sample video uploaded through the API into a category and indexed,
/// plus an empty second category for a User who must not see the video. Prepared once, on first use, after the
/// tools it needs are checked (so a missing tool skips or fails the test, not the fixture).
/// </summary>
public sealed class IndexedVideoSite : IAsyncLifetime
{
    public const string VideoTitle = "Zanzibar quarterly review";
    public const string CategoryName = "Finance";
    public const string OtherCategoryName = "Outsiders";

    /// <summary>Indexing the fifteen-second sample takes seconds; the margin covers a busy two-core machine.</summary>
    private static readonly TimeSpan IndexingTimeout = TimeSpan.FromMinutes(4);

    private readonly WebAllInOneHost host = new();
    // Lazy's default mode runs PrepareAsync once however many tests ask at the same time.
    private readonly Lazy<Task> prepared;

    public IndexedVideoSite() => prepared = new(PrepareAsync);

    public string BaseUrl => host.BaseUrl;

    public Guid VideoId { get; private set; }

    public Guid OtherCategoryId { get; private set; }

    /// <summary>The indexed moments, ordered by start.</summary>
    public IReadOnlyList<IndexedSegment> Segments { get; private set; } = [];

    public ValueTask InitializeAsync() => host.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
    }

    /// <summary>Checks the tools, then uploads and indexes the video the first time any test asks.</summary>
    public async Task ReadyAsync()
    {
        Requires.Tools([WebBrowser.ChromiumPath, .. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);
        await prepared.Value;
    }

    private async Task PrepareAsync()
    {
        using var api = await AdminApiAsync(BaseUrl, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var sample = await PutSampleOnAsync(api);
        VideoId = sample.VideoId;
        OtherCategoryId = sample.OtherCategoryId;
        Segments = sample.Segments;
    }

    /// <summary>A client of <paramref name="baseUrl"/>'s API holding a bearer token for these credentials.</summary>
    public static async Task<HttpClient> AdminApiAsync(string baseUrl, string email, string password)
    {
        var api = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return api;
    }

    /// <summary>What this site holds, put on any host through its API as <paramref name="api"/>'s admin: the two
    /// categories, a user with a long address, and the sample uploaded and indexed.</summary>
    public static async Task<IndexedSample> PutSampleOnAsync(HttpClient api)
    {
        var category = await CreateCategoryAsync(api, CategoryName);
        var otherCategory = await CreateCategoryAsync(api, OtherCategoryName);
        // A long unbreakable email widens the admin's user table: the phone-width checks must see it scroll in place.
        using (var user = await api.PostAsJsonAsync("/api/users", new
        {
            email = "a.person.with.a.rather.long.address@finance-department.veeky.test",
            password = "Long-address-1234",
            role = "User",
            categoryIds = new[] { category },
        }))
        {
            user.EnsureSuccessStatusCode();
        }

        var path = await SampleVideos.ScenesPathAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent(VideoTitle), "title" },
            { new StringContent(category.ToString()), "categoryId" },
            { new StringContent("Scenes with words on screen and two spoken sentences."), "description" },
            { new StringContent("finance, review"), "keywords" },
        };
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "file", "review.mp4");
        using var upload = await api.PostAsync("/api/videos", form);
        upload.EnsureSuccessStatusCode();
        var videoId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var deadline = DateTimeOffset.UtcNow + IndexingTimeout;
        while (true)
        {
            var status = await api.GetFromJsonAsync<JsonElement>($"/api/videos/{videoId}/status");
            var state = status.GetProperty("status").GetString();
            if (state == "Completed")
            {
                break;
            }
            if (state == "Failed" || DateTimeOffset.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The sample video did not index: {status}");
            }
            await Task.Delay(500);
        }
        var segments = await api.GetFromJsonAsync<List<IndexedSegment>>($"/api/videos/{videoId}/segments", new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return new IndexedSample(category, otherCategory, videoId, segments!.OrderBy(s => s.Start).ToList());
    }

    private static async Task<Guid> CreateCategoryAsync(HttpClient api, string name)
    {
        using var response = await api.PostAsJsonAsync("/api/categories", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>A fresh browser page at <paramref name="viewport"/>, signed in as <paramref name="email"/>.</summary>
    public async Task<IPage> SignedInPageAsync(WebBrowser browser, ViewportSize viewport, string email, string password, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, ColorScheme = scheme });
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return page;
    }

    public Task<IPage> AdminPageAsync(WebBrowser browser, ViewportSize viewport, ColorScheme scheme = ColorScheme.Light) =>
        SignedInPageAsync(browser, viewport, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword, scheme);
}

/// <summary>The indexed sample on a host: its category, the empty other category, the video and its moments.</summary>
public sealed record IndexedSample(Guid CategoryId, Guid OtherCategoryId, Guid VideoId, IReadOnlyList<IndexedSegment> Segments);

/// <summary>A moment as <c>/api/videos/{id}/segments</c> lists it (the fields the browser tests need).</summary>
public sealed record IndexedSegment(int Index, double Start, double End, string? Transcript);
