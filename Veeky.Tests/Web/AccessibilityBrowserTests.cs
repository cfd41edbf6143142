using System.Diagnostics;
using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>
/// axe-core's WCAG 2.0 and 2.1 A and AA rules on every page of the host <c>scripts/run.sh</c> starts (what people
/// get: published, precompressed assets, Production), as an admin, an editor and a user (where the pages they get
/// differ), signed out where a page is public, at desktop and phone widths, in the light and the dark theme: no
/// violations. A failure lists each one with the page, the rule and the element's selector.
/// </summary>
[Collection(StartedHostCollection.Name)]
public sealed class AccessibilityBrowserTests(StartedVideoSite site)
{
    private static readonly AxeRunOptions WcagAAndAA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        ResultTypes = [ResultType.Violations],
    };

    /// <summary>
    /// The dark theme is the light page's markup under other colour values (app.css's prefers-color-scheme block sets
    /// custom properties only), so in the dark only the rules that read colours can find something new.
    /// </summary>
    private static readonly AxeRunOptions ColourRules = new()
    {
        RunOnly = new RunOnlyOptions { Type = "rule", Values = ["color-contrast", "link-in-text-block"] },
        ResultTypes = [ResultType.Violations],
    };

    public static TheoryData<string, string> RolesAndWidths => new()
    {
        { "Admin", "desktop" }, { "Admin", "phone" },
        { "Editor", "desktop" }, { "Editor", "phone" },
        { "User", "desktop" }, { "User", "phone" },
        { "Signed out", "desktop" }, { "Signed out", "phone" },
    };

    /// <summary>Both widths get every rule: the markup is the same, but the layout decides what is visible (a menu
    /// button, a scrolling table), and axe judges what is rendered.</summary>
    [Theory]
    [MemberData(nameof(RolesAndWidths))]
    public async Task Every_page_has_no_wcag_a_or_aa_violations_in_the_light_and_the_dark_theme(string role, string width)
    {
        await site.ReadyAsync();
        await using var context = await site.NewContextAsync(role, width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop);
        var page = await context.NewPageAsync();

        var report = new StringBuilder();
        foreach (var path in PagesOf(role))
        {
            var clock = Stopwatch.StartNew();
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
            var response = await page.GotoAsync(site.BaseUrl + path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            // axe judges whatever document is in the tab: say what the address answered when it is not a page, rather than
            // reporting a JSON or media document's missing <title> as the page's.
            var contentType = response is null ? null : await response.HeaderValueAsync("content-type");
            if (contentType?.StartsWith("text/html", StringComparison.Ordinal) != true)
            {
                // The host's own words (an unhandled exception's log entry) say why, which the status alone does not.
                var output = site.Host.Output;
                Assert.Fail($"{path} as {role} answered {response?.Status} {contentType} at {page.Url}, not a page. "
                    + $"The host's last output:\n{output[Math.Max(0, output.Length - 6000)..]}");
            }
            // Every Veeky page has its language and a title: axe runs once the tab holds that page (in CI it once judged a
            // titleless document at the edit page's address; the URL beside each finding says where the tab was).
            await page.WaitForFunctionAsync("() => document.documentElement.lang !== '' && document.title !== ''",
                null, new PageWaitForFunctionOptions { Timeout = 15_000 });
            if (path.StartsWith("/search?q=", StringComparison.Ordinal))
            {
                // The search page is checked with its results on it, among them a "Whole video" row in its muted small
                // type ("zanzibar" is in the sample's title only).
                await page.Locator(".hit").First.WaitForAsync();
                await page.Locator("[data-video-row] .hit__title").First.WaitForAsync();
            }
            var loaded = clock.Elapsed;
            Collect(report, $"{path} (at {page.Url})", "light", await page.RunAxe(WcagAAndAA));
            var light = clock.Elapsed;
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
            Collect(report, $"{path} (at {page.Url})", "dark", await page.RunAxe(ColourRules));
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{path}: loaded {loaded.TotalMilliseconds:0} ms, light (all rules) {(light - loaded).TotalMilliseconds:0} ms, dark (colour rules) {(clock.Elapsed - light).TotalMilliseconds:0} ms");
        }

        Assert.True(report.Length == 0, $"axe found violations as {role} at {width} width:\n{report}");
    }

    private static void Collect(StringBuilder report, string path, string theme, AxeResult results)
    {
        foreach (var violation in results.Violations)
        {
            foreach (var node in violation.Nodes)
            {
                var checks = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message);
                report.AppendLine($"{path} ({theme}): {violation.Id} ({violation.Impact}) {violation.Help} at {node.Target}: {string.Join("; ", checks)}");
            }
        }
    }

    /// <summary>What each role can open; a page its role may not see is checked as the access-denied page it becomes.</summary>
    private IEnumerable<string> PagesOf(string role)
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
                $"/admin/categories/{site.OtherCategoryId}", $"/admin/users/{site.UserIds["User"]}", site.SharePath, .. errors,
            ],
            "Editor" => ["/", video, "/search?q=zanzibar", "/upload", "/account", "/account/api-keys", "/admin", .. errors],
            "User" => ["/", video, "/search?q=zanzibar", "/upload", "/account", "/account/api-keys"],
            _ => ["/login", site.SharePath, "/share/not-a-valid-link", "/no-such-page"],
        };
    }
}
