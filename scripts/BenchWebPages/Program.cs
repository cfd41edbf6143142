using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

// Web pages benchmark (issue 16's "measure and report"): the published all-in-one host started as scripts/run.sh starts
// it, a small library of generated videos uploaded and indexed by it, then headless Chromium per page (library, video,
// search, upload, login): what a cold visit transfers (compressed, as sent) and in how many requests; Enter -> results
// painted on /search; the video page from navigation to the player's `canplay`; and Lighthouse's scores when its npm
// package is installed. With --screenshots DIR it only captures the library, video and search pages in both themes.
var settings = Settings.Parse(args);
var folder = settings.Directory ?? Path.Combine(Path.GetTempPath(), $"veeky-bench-web-pages-{Guid.NewGuid():N}");
Directory.CreateDirectory(folder);
var seededMarker = Path.Combine(folder, "bench-seeded.json");
Console.WriteLine($"Data folder: {folder}{(File.Exists(seededMarker) ? " (seeded earlier, reused)" : "")}");

const string AdminEmail = "bench@veeky.local";
const string AdminPassword = "Bench-Passw0rd-Pages!";
await using var host = await PublishedHost.StartAsync(settings.Publish, folder, AdminEmail, AdminPassword);
using var api = new HttpClient { BaseAddress = new Uri(host.BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
var login = await api.PostAsJsonAsync("/api/auth/login", new { email = AdminEmail, password = AdminPassword });
login.EnsureSuccessStatusCode();
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
    (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());

IReadOnlyList<Guid> videos;
if (File.Exists(seededMarker))
{
    videos = JsonSerializer.Deserialize<List<Guid>>(await File.ReadAllTextAsync(seededMarker))!;
}
else
{
    var seeding = Stopwatch.StartNew();
    videos = await SampleLibrary.SeedAsync(api, folder);
    await File.WriteAllTextAsync(seededMarker, JsonSerializer.Serialize(videos));
    Console.WriteLine($"Seeded {videos.Count} videos (generated, uploaded, indexed) in {seeding.Elapsed.TotalSeconds:F0} s");
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = settings.Chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
var viewport = new ViewportSize { Width = 1280, Height = 800 };
var signedIn = await SignedInStateAsync(browser, host.BaseUrl, viewport);
var pages = new (string Name, string Path, bool SignedIn)[]
{
    ("library", "/", true),
    ("video", $"/videos/{videos[0]}", true),
    ("search", $"/search?q={Uri.EscapeDataString(SampleLibrary.Queries[1])}", true),
    ("upload", "/upload", true),
    ("login", "/login", false),
};

if (settings.Screenshots is { } shots)
{
    await Screenshots.CaptureAsync(browser, host.BaseUrl, signedIn, pages.Take(3).Select(p => (p.Name, p.Path)).ToList(), shots);
    return 0;
}

Console.WriteLine();
Console.WriteLine("Cold visit per page (new browser context, empty cache; bytes as transferred, headers included):");
foreach (var (name, path, needsSession) in pages)
{
    var weight = await PageWeight.MeasureAsync(browser, host.BaseUrl + path, needsSession ? signedIn : null, viewport);
    Console.WriteLine($"  {name,-8} {weight.Requests,3} requests {weight.Bytes / 1024.0,8:F1} KiB   " + string.Join(", ",
        weight.ByType.OrderByDescending(t => t.Value.Bytes).Select(t => $"{t.Key} {t.Value.Count} = {t.Value.Bytes / 1024.0:F1} KiB")));
}

var paint = await SearchPaint.MeasureAsync(browser, host.BaseUrl, signedIn, viewport, settings.Queries, settings.Warmup);
Console.WriteLine();
Console.WriteLine($"Enter -> results painted     p50 {paint.P50,6:F1} ms   p95 {paint.P95,6:F1} ms   max {paint.Max,6:F1} ms   ({settings.Queries} queries after {settings.Warmup} warm-up, one /search page)");
var canPlay = await VideoCanPlay.MeasureAsync(browser, host.BaseUrl, signedIn, viewport, videos, settings.Visits);
Console.WriteLine($"Video page -> canplay        p50 {canPlay.P50,6:F1} ms   p95 {canPlay.P95,6:F1} ms   max {canPlay.Max,6:F1} ms   ({settings.Visits} visits from navigation start, new context each, empty cache)");

if (settings.Lighthouse is { } tooling)
{
    Console.WriteLine();
    if (!File.Exists(Path.Combine(tooling, "node_modules", "lighthouse", "cli", "index.js")))
    {
        Console.WriteLine($"Lighthouse: not installed ({tooling}/node_modules); run `npm ci` there to get its scores.");
    }
    else
    {
        Console.WriteLine("Lighthouse (desktop preset, headless Chromium), per page: performance / accessibility / best practices / SEO");
        var cookies = string.Join("; ", (await CookiesAsync(browser, signedIn)).Select(c => $"{c.Name}={c.Value}"));
        foreach (var (name, path, needsSession) in pages)
        {
            var scores = await Lighthouse.ScoreAsync(tooling, settings.Chromium, host.BaseUrl + path, needsSession ? cookies : null, folder,
                settings.LighthouseReports, name);
            Console.WriteLine($"  {name,-8} {scores}");
        }
    }
}
return 0;

static async Task<string> SignedInStateAsync(IBrowser browser, string baseUrl, ViewportSize viewport)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
    var page = await context.NewPageAsync();
    await page.GotoAsync(baseUrl + "/login");
    await page.FillAsync("#email", AdminEmail);
    await page.FillAsync("#password", AdminPassword);
    await page.ClickAsync("button[type=submit]");
    await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    return await context.StorageStateAsync();
}

static async Task<IReadOnlyList<BrowserContextCookiesResult>> CookiesAsync(IBrowser browser, string state)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { StorageState = state });
    return await context.CookiesAsync();
}

/// <summary>Command line of the benchmark.</summary>
internal sealed record Settings(string Publish, string? Directory, int Queries, int Warmup, int Visits, string? Lighthouse,
    string? Screenshots, string Chromium, string? LighthouseReports = null)
{
    public static Settings Parse(string[] args)
    {
        var settings = new Settings(Publish: "", Directory: null, Queries: 60, Warmup: 5, Visits: 30, Lighthouse: null,
            Screenshots: null, Chromium: Environment.GetEnvironmentVariable("CHROME_PATH") ?? "/usr/bin/chromium");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--publish" => settings with { Publish = Path.GetFullPath(Next()) },
                "--dir" => settings with { Directory = Path.GetFullPath(Next()) },
                "--queries" => settings with { Queries = int.Parse(Next()) },
                "--warmup" => settings with { Warmup = int.Parse(Next()) },
                "--visits" => settings with { Visits = int.Parse(Next()) },
                "--lighthouse" => settings with { Lighthouse = Path.GetFullPath(Next()) },
                "--lighthouse-reports" => settings with { LighthouseReports = Path.GetFullPath(Next()) },
                "--screenshots" => settings with { Screenshots = Path.GetFullPath(Next()) },
                _ => throw new ArgumentException($"Unknown option {args[i]}; see scripts/bench-web-pages"),
            };
        }
        return settings.Publish.Length > 0 ? settings : throw new ArgumentException("--publish names the published host's folder");
    }
}
