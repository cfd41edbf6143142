using System.Text.Json;
using Microsoft.Playwright;

/// <summary>
/// Enter -> results painted on /search, as scripts/bench-web-search measures it: one page, a query typed and Enter
/// pressed again and again, from the keydown to the frame that shows the results (search.js marks
/// <c>veeky:search-painted</c> in the first animation frame after inserting them).
/// </summary>
internal static class SearchPaint
{
    public static async Task<Latency> MeasureAsync(IBrowser browser, string baseUrl, string storageState, ViewportSize viewport,
        int queries, int warmup)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, StorageState = storageState });
        var page = await context.NewPageAsync();
        await page.GotoAsync(baseUrl + "/search");
        await page.EvaluateAsync("""
            () => {
                window.__samePage = true;
                document.addEventListener("keydown", e => { if (e.key === "Enter") window.__keydown = e.timeStamp; }, { capture: true });
            }
            """);
        var samples = new List<double>();
        for (var i = 0; i < queries + warmup; i++)
        {
            await page.EvaluateAsync("() => { performance.clearMarks(); window.__keydown = null; }");
            await page.FillAsync("#q", SampleLibrary.Queries[i % SampleLibrary.Queries.Length]);
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForFunctionAsync("() => performance.getEntriesByName('veeky:search-painted').length > 0");
            var sample = await page.EvaluateAsync<JsonElement>("""
                () => ({ toPaint: performance.getEntriesByName("veeky:search-painted")[0].startTime - window.__keydown,
                         samePage: window.__samePage === true })
                """);
            if (!sample.GetProperty("samePage").GetBoolean())
            {
                throw new InvalidOperationException("Enter loaded a new page: the fetch path did not run.");
            }
            if (i >= warmup)
            {
                samples.Add(sample.GetProperty("toPaint").GetDouble());
            }
        }
        return Latency.Of([.. samples]);
    }
}
