using Microsoft.Playwright;

/// <summary>
/// What one cold visit to a page costs: every request the browser makes until the page has loaded and settled (two
/// seconds after <c>load</c>, for what scripts and lazy images fetch next; not network-idle, which the library's live
/// event stream never reaches), with the bytes as transferred (compressed bodies and headers).
/// </summary>
internal static class PageWeight
{
    public sealed record Result(int Requests, long Bytes, IReadOnlyDictionary<string, (int Count, long Bytes)> ByType);

    public static async Task<Result> MeasureAsync(IBrowser browser, string url, string? storageState, ViewportSize viewport)
    {
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, StorageState = storageState });
        var page = await context.NewPageAsync();
        var sizes = new List<Task<(string Type, long Bytes)>>();
        var failed = new List<string>();
        page.RequestFinished += (_, request) => sizes.Add(SizeAsync(request));
        // A media request the player cuts short once it has what it needs ends here, with what it got uncounted.
        page.RequestFailed += (_, request) => failed.Add(request.ResourceType);
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Load });
        await page.WaitForTimeoutAsync(2000);
        var finished = await Task.WhenAll(sizes.ToArray());
        var byType = finished.Concat(failed.Select(type => (Type: type, Bytes: 0L)))
            .GroupBy(s => s.Type)
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(s => s.Bytes)));
        return new Result(finished.Length + failed.Count, finished.Sum(s => s.Bytes), byType);
    }

    private static async Task<(string Type, long Bytes)> SizeAsync(IRequest request)
    {
        var sizes = await request.SizesAsync();
        return (request.ResourceType, sizes.ResponseHeadersSize + sizes.ResponseBodySize);
    }
}
