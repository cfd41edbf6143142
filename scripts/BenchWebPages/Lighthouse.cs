using System.Diagnostics;
using System.Text.Json;

/// <summary>
/// Lighthouse's category scores for one page, run from its npm package in <c>scripts/lighthouse</c> (desktop preset,
/// the same Chromium, headless). A signed-in page gets the session cookie as an extra header on every request.
/// </summary>
internal static class Lighthouse
{
    private static readonly string[] Categories = ["performance", "accessibility", "best-practices", "seo"];

    public static async Task<string> ScoreAsync(string tooling, string chromium, string url, string? cookie, string workFolder)
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
        File.Delete(report);
        var categories = json.RootElement.GetProperty("categories");
        var finalUrl = json.RootElement.TryGetProperty("finalDisplayedUrl", out var shown) ? shown.GetString() : null;
        var scores = string.Join(" / ", Categories.Select(c =>
            categories.GetProperty(c).GetProperty("score") is { ValueKind: JsonValueKind.Number } score ? $"{score.GetDouble() * 100:0}" : "n/a"));
        // A page that sent Lighthouse to sign in was not the page meant: say so rather than score the login form.
        return finalUrl is not null && !finalUrl.StartsWith(url, StringComparison.Ordinal) ? $"{scores}   (ended on {finalUrl})" : scores;
    }
}
