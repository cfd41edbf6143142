using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using Veeky.Web;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// Every page of the UI (a share link's too), in a real browser, under the Content-Security-Policy the host sends: scripts, styles, the
/// keyframes and the video through signed media links, as-you-type search and the live relays all work, and the browser
/// reports no violation at all (an inline style or script anywhere would be one).
/// </summary>
[Collection(IndexedVideoCollection.Name)]
public sealed class ContentSecurityPolicyBrowserTests(IndexedVideoSite site)
{
    /// <summary>Records each violation the page reports, before any of its own script runs.</summary>
    private const string ViolationRecorder =
        "window.__cspViolations = [];" +
        "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI));";

    [Fact]
    public async Task The_main_pages_load_and_work_under_the_content_security_policy_without_a_violation()
    {
        await site.ReadyAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Desktop });
        await context.AddInitScriptAsync(ViolationRecorder);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };
        page.PageError += (_, error) => violations.Add($"{page.Url}: script error {error}");

        await VisitAsync(page, "/login", violations);
        await page.FillAsync("#email", WebAllInOneHost.AdminEmail);
        await page.FillAsync("#password", WebAllInOneHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));

        await VisitAsync(page, "/", violations);
        await Expect(page.Locator(".card img").First).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await page.Locator(".card img").First.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the thumbnail loaded");

        await VisitAsync(page, "/search?q=zanzibar", violations);
        await Expect(page.Locator("a.hit").First).ToContainTextAsync(IndexedVideoSite.VideoTitle);
        // As-you-type results arrive through fetch (connect-src).
        await page.FillAsync("#q", "quarterly");
        await Expect(page.Locator("a.hit").First).ToContainTextAsync(IndexedVideoSite.VideoTitle);

        await VisitAsync(page, $"/videos/{site.VideoId}?t=1", violations);
        await page.WaitForFunctionAsync("() => document.querySelector('video#player').readyState >= 1");
        var frame = page.Locator(".timeline__frame").First;
        await Expect(frame).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await frame.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the keyframe loaded");
        // Chapter widths come from data-grow through script, as style attributes are refused.
        Assert.NotEqual("", await page.Locator(".timeline__item").First.EvaluateAsync<string>("item => item.style.flexGrow"));

        // The captions track loads too (media-src).
        await page.Locator("[data-captions-toggle]").ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('video#player').textTracks[0].mode === 'showing'");

        foreach (var path in new[] { "/upload", "/admin", "/admin/prompts", "/admin/llm-settings", "/access-denied", "/status/404" })
        {
            await VisitAsync(page, path, violations);
        }

        // A share link's page, opened by someone without an account.
        var sharePath = await CreateShareLinkAsync();
        var anonymous = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = WebBrowser.Desktop });
        await anonymous.AddInitScriptAsync(ViolationRecorder);
        var shared = await anonymous.NewPageAsync();
        shared.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{shared.Url}: {message.Text}");
            }
        };
        await VisitAsync(shared, sharePath, violations);
        await shared.WaitForFunctionAsync("() => document.querySelector('video#player').readyState >= 1");

        Assert.Empty(violations);
    }

    private async Task<string> CreateShareLinkAsync()
    {
        using var api = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email = WebAllInOneHost.AdminEmail, password = WebAllInOneHost.AdminPassword });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var share = await api.PostAsJsonAsync($"/api/videos/{site.VideoId}/shares", new { start = 1 });
        share.EnsureSuccessStatusCode();
        return (await share.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString()!;
    }

    /// <summary>Opens a page, checks it came with the policy, and collects what it reported once it settled.</summary>
    private async Task VisitAsync(IPage page, string path, List<string> violations)
    {
        var response = await page.GotoAsync(site.BaseUrl + path, new() { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(response);
        Assert.Equal(PageSecurityPolicy.Value, await response.HeaderValueAsync("content-security-policy"));
        var reported = await page.EvaluateAsync<string[]>("() => window.__cspViolations || []");
        violations.AddRange(reported.Select(v => $"{path}: {v}"));
    }
}
