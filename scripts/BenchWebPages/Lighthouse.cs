using System.Diagnostics;
using System.Text.Json;

/// <summary>
/// Lighthouse's category scores for one page, run from its npm package in <c>scripts/lighthouse</c> (desktop preset,
/// the same Chromium, headless). A signed-in page gets the session cookie as an extra header on every request. Beside
/// the scores: the metrics performance is made of and the largest contentful paint's element, so a low score names its
/// cause; with a reports folder the whole JSON report is kept there as <c>NAME.json</c>.
/// </summary>
internal static class Lighthouse
{
    private static readonly string[] Categories = ["performance", "accessibility", "best-practices", "seo"];

    public static async Task<string> ScoreAsync(string tooling, string chromium, string url, string? cookie, string workFolder,
        string? reportsFolder = null, string? name = null)
    {
        var report = Path.Combine(workFolder, $"lighthouse-{Guid.NewGuid():N}.json");
        var headers = Path.Combine(workFolder, $"lighthouse-headers-{Guid.NewGuid():N}.json");
        var arguments = new List<string>
        {
            Path.Combine(tooling, "node_modules", "lighthouse", "cli", "index.js"), url,
            "--quiet", "--output=json", $"--output-path={report}", "--preset=desktop",
            $"--only-categories={string.Join(',', Categories)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        };
        if (cookie is not null)
        {
            await File.WriteAllTextAsync(headers, JsonSerializer.Serialize(new Dictionary<string, string> { ["Cookie"] = cookie }));
            arguments.Add($"--extra-headers={headers}");
        }
        var start = new ProcessStartInfo("node", arguments) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["CHROME_PATH"] = chromium;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(headers); // it holds a session cookie
        if (process.ExitCode != 0 || !File.Exists(report))
        {
            return $"failed (exit {process.ExitCode}): {(await stderr).Trim().Split('\n').LastOrDefault()}";
        }
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        if (reportsFolder is not null)
        {
            Directory.CreateDirectory(reportsFolder);
            File.Move(report, Path.Combine(reportsFolder, $"{name ?? "page"}.json"), overwrite: true);
        }
        else
        {
            File.Delete(report);
        }
        var categories = json.RootElement.GetProperty("categories");
        var finalUrl = json.RootElement.TryGetProperty("finalDisplayedUrl", out var shown) ? shown.GetString() : null;
        var scores = string.Join(" / ", Categories.Select(c =>
            categories.GetProperty(c).GetProperty("score") is { ValueKind: JsonValueKind.Number } score ? $"{score.GetDouble() * 100:0}" : "n/a"));
        scores += "   " + Metrics(json.RootElement.GetProperty("audits"));
        // A page that sent Lighthouse to sign in was not the page meant: say so rather than score the login form.
        return finalUrl is not null && !finalUrl.StartsWith(url, StringComparison.Ordinal) ? $"{scores}   (ended on {finalUrl})" : scores;
    }

    /// <summary>FCP, LCP, TBT, CLS and speed index as Lighthouse measured them, and the LCP element's selector.</summary>
    private static string Metrics(JsonElement audits)
    {
        string Value(string audit) => audits.TryGetProperty(audit, out var a) && a.TryGetProperty("displayValue", out var shown)
            ? shown.GetString() ?? "?" : "?";
        var lcpElement = "?";
        if (audits.TryGetProperty("largest-contentful-paint-element", out var element)
            && element.TryGetProperty("details", out var details) && details.TryGetProperty("items", out var items))
        {
            foreach (var node in items.EnumerateArray().SelectMany(Nodes))
            {
                lcpElement = node;
                break;
            }
        }
        return $"FCP {Value("first-contentful-paint")}, LCP {Value("largest-contentful-paint")} ({lcpElement}), " +
               $"TBT {Value("total-blocking-time")}, CLS {Value("cumulative-layout-shift")}, SI {Value("speed-index")}";
    }

    /// <summary>The selectors of the nodes in an audit item, however deep Lighthouse nests them (a table in a list).</summary>
    private static IEnumerable<string> Nodes(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }
        if (item.TryGetProperty("node", out var node) && node.TryGetProperty("selector", out var selector))
        {
            yield return selector.GetString() ?? "?";
        }
        if (item.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var nested in items.EnumerateArray().SelectMany(Nodes))
            {
                yield return nested;
            }
        }
    }
}
