using Microsoft.Playwright;

/// <summary>
/// The video page from navigation start to the player's first <c>canplay</c> (enough of the stream to start playing),
/// each visit in a new browser context, so nothing is cached: a link opened from a chat or an email.
/// </summary>
internal static class VideoCanPlay
{
    /// <summary>Media events do not bubble; a capturing listener on the document still sees them.</summary>
    private const string Recorder = """
        window.__canplay = null;
        document.addEventListener("canplay", () => { if (window.__canplay === null) window.__canplay = performance.now(); }, { capture: true });
        """;

    public static async Task<Latency> MeasureAsync(IBrowser browser, string baseUrl, string storageState, ViewportSize viewport,
        IReadOnlyList<Guid> videos, int visits)
    {
        var samples = new List<double>();
        for (var i = 0; i < visits; i++)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, StorageState = storageState });
            await context.AddInitScriptAsync(Recorder);
            var page = await context.NewPageAsync();
            await page.GotoAsync($"{baseUrl}/videos/{videos[i % videos.Count]}");
            await page.WaitForFunctionAsync("() => window.__canplay !== null", null, new() { Timeout = 60_000 });
            samples.Add(await page.EvaluateAsync<double>("() => window.__canplay"));
        }
        return Latency.Of([.. samples]);
    }
}
