using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>
/// The host <c>scripts/run.sh</c> starts (published output, its own process, temp data, a loopback port), started
/// once for the whole <see cref="StartedHostCollection"/> and holding what every page needs to show something: the
/// indexed sample (as on <see cref="IndexedVideoSite"/>), an Editor and a User of its category, and a share link of
/// it. One Chromium, and one sign-in per role, serve every test of the collection. Prepared on first use, after the
/// tools it needs are checked (so a missing tool skips or fails the test, not the fixture).
/// </summary>
public sealed class StartedVideoSite : IAsyncLifetime
{
    public const string RolePassword = "Started-Role-Passw0rd!";

    private readonly Dictionary<string, Task<string>> signedIn = [];
    // Lazy's default mode runs PrepareAsync once however many tests ask at the same time.
    private readonly Lazy<Task> prepared;
    private StartedHost? host;
    private WebBrowser? browser;

    public StartedHost Host => host ?? throw new InvalidOperationException("Call ReadyAsync first.");

    public StartedVideoSite() => prepared = new(PrepareAsync);

    public string BaseUrl => Host.BaseUrl;

    /// <summary>One Chromium for the collection; each test opens its own contexts.</summary>
    public WebBrowser Browser => browser ?? throw new InvalidOperationException("Call ReadyAsync first.");

    public Guid CategoryId { get; private set; }

    public Guid OtherCategoryId { get; private set; }

    public Guid VideoId { get; private set; }

    /// <summary>The indexed moments, ordered by start.</summary>
    public IReadOnlyList<IndexedSegment> Segments { get; private set; } = [];

    /// <summary>"Admin", "Editor" and "User" → their email; the Editor and the User see the sample's category only.</summary>
    public IReadOnlyDictionary<string, string> Emails { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, Guid> UserIds { get; private set; } = new Dictionary<string, Guid>();

    /// <summary>A share link of the sample from its fourth second, e.g. <c>/share/…</c>.</summary>
    public string SharePath { get; private set; } = "";

    public static string PasswordOf(string role) => role == "Admin" ? StartedHost.AdminPassword : RolePassword;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Checks the tools, then starts the host and puts the sample on it the first time any test asks.</summary>
    public async Task ReadyAsync()
    {
        Requires.Tools([WebBrowser.ChromiumPath, .. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);
        await prepared.Value;
    }

    private async Task PrepareAsync()
    {
        // Not the first test's token: the host serves the whole collection, and StartedHost bounds its own start.
        host = await StartedHost.RunScriptAsync(CancellationToken.None);
        browser = await WebBrowser.LaunchAsync();
        using var api = await IndexedVideoSite.AdminApiAsync(BaseUrl, StartedHost.AdminEmail, StartedHost.AdminPassword);
        var sample = await IndexedVideoSite.PutSampleOnAsync(api);
        (CategoryId, OtherCategoryId, VideoId, Segments) = (sample.CategoryId, sample.OtherCategoryId, sample.VideoId, sample.Segments);

        var emails = new Dictionary<string, string> { ["Admin"] = StartedHost.AdminEmail };
        var ids = new Dictionary<string, Guid> { ["Admin"] = (await api.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("id").GetGuid() };
        foreach (var role in new[] { "Editor", "User" })
        {
            var email = $"started-{role.ToLowerInvariant()}@veeky.test";
            using var created = await api.PostAsJsonAsync("/api/users", new { email, password = RolePassword, role, categoryIds = new[] { CategoryId } });
            created.EnsureSuccessStatusCode();
            emails[role] = email;
            ids[role] = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }
        (Emails, UserIds) = (emails, ids);
        using var share = await api.PostAsJsonAsync($"/api/videos/{VideoId}/shares", new { start = 4.0 });
        share.EnsureSuccessStatusCode();
        SharePath = (await share.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString()!;
    }

    /// <summary>
    /// A browser context at <paramref name="viewport"/> in <paramref name="scheme"/>, signed in as
    /// <paramref name="role"/> ("Admin", "Editor", "User"; "Signed out" for none). Each role signs in through the
    /// sign-in form once; later contexts start from that session's cookies. Dispose the context when done.
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(string role, ViewportSize viewport, ColorScheme scheme = ColorScheme.Light)
    {
        var state = role == "Signed out" ? null : await SignedInStateAsync(role);
        return await Browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, ColorScheme = scheme, StorageState = state });
    }

    private async Task<string> SignedInStateAsync(string role)
    {
        Task<string>? state;
        lock (signedIn)
        {
            if (!signedIn.TryGetValue(role, out state) || state.IsFaulted || state.IsCanceled)
            {
                signedIn[role] = state = SignInAsync(role);
            }
        }
        return await state;
    }

    private async Task<string> SignInAsync(string role)
    {
        await using var context = await Browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/login");
        await WebBrowser.SignInOnPageAsync(page, Emails[role], PasswordOf(role), BaseUrl + "/");
        return await context.StorageStateAsync();
    }
}
