using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>
/// axe-core's WCAG 2.0 and 2.1 A and AA rules on every page, as an admin, an editor and a user (where the pages they
/// get differ), signed out where a page is public, at desktop and phone widths, in the light and the dark theme: no
/// violations. A failure lists each one with the page, the rule and the element's selector.
/// </summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class AccessibilityBrowserTests(IndexedVideoSite site)
{
    private const string Password = "Axe-Browser-Passw0rd!";

    private static readonly AxeRunOptions WcagAAndAA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        ResultTypes = [ResultType.Violations],
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Each page is checked in every one of these: the layout and the colours differ, so can the findings.</summary>
    private static readonly (string Name, ViewportSize Size, ColorScheme Scheme)[] Views =
    [
        ("desktop, light", WebBrowser.Desktop, ColorScheme.Light),
        ("desktop, dark", WebBrowser.Desktop, ColorScheme.Dark),
        ("phone, light", WebBrowser.Phone, ColorScheme.Light),
        ("phone, dark", WebBrowser.Phone, ColorScheme.Dark),
    ];

    [Theory]
    [InlineData("Admin")]
    [InlineData("Editor")]
    [InlineData("User")]
    [InlineData("Signed out")]
    public async Task Every_page_has_no_wcag_a_or_aa_violations_at_both_widths_in_both_themes(string role)
    {
        await site.ReadyAsync();
        var seed = await SeedAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        if (role != "Signed out")
        {
            var email = role == "Admin" ? WebAllInOneHost.AdminEmail : seed.Emails[role];
            await page.GotoAsync(site.BaseUrl + "/login");
            await WebBrowser.SignInOnPageAsync(page, email, role == "Admin" ? WebAllInOneHost.AdminPassword : Password, site.BaseUrl + "/");
        }

        var report = new StringBuilder();
        foreach (var path in PagesOf(role, seed))
        {
            await page.GotoAsync(site.BaseUrl + path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            if (path.StartsWith("/search?q=", StringComparison.Ordinal))
            {
                // The search page is checked with its results on it.
                await page.Locator(".hit").First.WaitForAsync();
            }
            foreach (var (name, size, scheme) in Views)
            {
                await page.SetViewportSizeAsync(size.Width, size.Height);
                await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
                var results = await page.RunAxe(WcagAAndAA);
                foreach (var violation in results.Violations)
                {
                    foreach (var node in violation.Nodes)
                    {
                        var checks = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message);
                        report.AppendLine($"{path} ({name}): {violation.Id} ({violation.Impact}) {violation.Help} at {node.Target}: {string.Join("; ", checks)}");
                    }
                }
            }
        }

        Assert.True(report.Length == 0, $"axe found violations as {role}:\n{report}");
    }

    /// <summary>What each role can open; a page its role may not see is checked as the access-denied page it becomes.</summary>
    private IEnumerable<string> PagesOf(string role, Seed seed)
    {
        var video = $"/videos/{site.VideoId}";
        string[] errors = ["/access-denied", "/no-such-page", "/status/500"];
        return role switch
        {
            "Admin" =>
            [
                "/", "/?q=zanzibar&sort=title", video, video + "/edit", $"/videos/bulk?ids={site.VideoId}&action=reindex",
                "/search", "/search?q=zanzibar", "/upload", "/account", "/account/api-keys",
                "/admin", "/admin/indexing", "/admin/prompts", "/admin/llm-settings", "/admin/webhooks",
                $"/admin/categories/{site.OtherCategoryId}", $"/admin/users/{seed.UserIds["User"]}", seed.SharePath, .. errors,
            ],
            "Editor" => ["/", video, "/search?q=zanzibar", "/upload", "/account", "/account/api-keys", "/admin", .. errors],
            "User" => ["/", video, "/search?q=zanzibar", "/upload", "/account", "/account/api-keys"],
            _ => ["/login", seed.SharePath, "/share/not-a-valid-link", "/no-such-page"],
        };
    }

    private sealed record Seed(IReadOnlyDictionary<string, string> Emails, IReadOnlyDictionary<string, Guid> UserIds, string SharePath);

    private static readonly SemaphoreSlim SeedGate = new(1, 1);
    private static Seed? seeded;

    /// <summary>An editor and a user in the video's category and a share link of the video, made once for all cases.</summary>
    private async Task<Seed> SeedAsync()
    {
        await SeedGate.WaitAsync(Ct);
        try
        {
            if (seeded is not null)
            {
                return seeded;
            }
            using var api = new HttpClient { BaseAddress = new Uri(site.BaseUrl + "/"), Timeout = TimeSpan.FromMinutes(2) };
            using (var login = await api.PostAsJsonAsync("api/auth/login", new { email = WebAllInOneHost.AdminEmail, password = WebAllInOneHost.AdminPassword }, Ct))
            {
                login.EnsureSuccessStatusCode();
                var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
                api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            var video = await api.GetFromJsonAsync<JsonElement>($"api/videos/{site.VideoId}", Ct);
            var category = video.GetProperty("categoryId").GetGuid();
            var emails = new Dictionary<string, string>();
            var ids = new Dictionary<string, Guid>();
            foreach (var role in new[] { "Editor", "User" })
            {
                var email = $"axe-{role.ToLowerInvariant()}@veeky.test";
                using var created = await api.PostAsJsonAsync("api/users", new { email, password = Password, role, categoryIds = new[] { category } }, Ct);
                created.EnsureSuccessStatusCode();
                emails[role] = email;
                ids[role] = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
            }
            using var share = await api.PostAsJsonAsync($"api/videos/{site.VideoId}/shares", new { start = 4.0 }, Ct);
            share.EnsureSuccessStatusCode();
            var sharePath = (await share.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("path").GetString()!;
            return seeded = new Seed(emails, ids, sharePath);
        }
        finally
        {
            SeedGate.Release();
        }
    }
}
