using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Veeky.Data;
using Veeky.Media;
using Veeky.Processes;
using Veeky.Search;
using Veeky.Videos;
using Veeky.Web.Components;

// Web search benchmark: the all-in-one host (UI, API, indexer) on Kestrel with a library of synthetic videos seeded
// straight into its database, search index and media folder (every keyframe a link to one real JPEG), then headless
// Chromium on /search: fill the box, press Enter, and time from the keydown to the frame that shows the results
// (search.js marks "veeky:search-painted" in the first animation frame after inserting them). Then the bytes a results
// page costs. Fixed seeds: two runs seed the same library and type the same queries.
var settings = Settings.Parse(args);
var folder = settings.Directory ?? Path.Combine(Path.GetTempPath(), $"veeky-bench-web-search-{Guid.NewGuid():N}");
Directory.CreateDirectory(folder);
var seededMarker = Path.Combine(folder, "bench-seeded");
var reuse = settings.Directory is not null && File.Exists(seededMarker);
Console.WriteLine($"Data folder: {folder}{(reuse ? " (seeded earlier, reused)" : "")}");

const string AdminEmail = "bench@veeky.local";
const string AdminPassword = "Bench-Passw0rd-Web!";
await using var host = new BenchHost(folder, AdminEmail, AdminPassword);
var baseUrl = host.Start();
var corpus = new SyntheticCorpus(seed: 42, dimensions: 8);

if (!reuse)
{
    var seeding = Stopwatch.StartNew();
    await SeedAsync(host.Services, corpus, settings);
    await File.WriteAllTextAsync(seededMarker, DateTimeOffset.UtcNow.ToString("O"));
    Console.WriteLine($"Seeded {settings.Videos:N0} videos x {settings.SegmentsPerVideo} segments in {seeding.Elapsed.TotalSeconds:F0} s");
}

var queryRandom = new Random(7);
var queries = Enumerable.Range(0, settings.Queries + settings.Warmup).Select(_ => corpus.Query(queryRandom)).ToList();

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
var page = await context.NewPageAsync();
await SignInAsync(page, baseUrl);
if (settings.BlockImages)
{
    // Diagnosis: how much of the time goes to keyframe downloads competing with the next search.
    await page.RouteAsync("**/keyframe*", route => route.AbortAsync());
    await page.RouteAsync("**/thumbnail*", route => route.AbortAsync());
}

// One page for every query, as a person searching again and again: each Enter goes through the fetch path.
await page.GotoAsync(baseUrl + "/search");
await page.EvaluateAsync("""
    () => {
        window.__samePage = true;
        document.addEventListener("keydown", e => { if (e.key === "Enter") window.__keydown = e.timeStamp; }, { capture: true });
    }
    """);
var toPaint = new List<double>();
var fetchTimes = new List<double>();
var hitsShown = 0;
for (var i = 0; i < queries.Count; i++)
{
    await page.EvaluateAsync("() => { performance.clearMarks(); performance.clearResourceTimings(); window.__keydown = null; }");
    await page.FillAsync("#q", queries[i]);
    await page.Keyboard.PressAsync("Enter");
    await page.WaitForFunctionAsync("() => performance.getEntriesByName('veeky:search-painted').length > 0");
    var sample = await page.EvaluateAsync<JsonElement>("""
        () => {
            const painted = performance.getEntriesByName("veeky:search-painted")[0].startTime;
            const fetch = performance.getEntriesByType("resource").filter(r => r.name.includes("/search/results?")).pop();
            return { toPaint: painted - window.__keydown, fetch: fetch ? fetch.responseEnd - fetch.startTime : -1,
                     hits: document.querySelectorAll("[data-hit]").length, samePage: window.__samePage === true };
        }
        """);
    if (!sample.GetProperty("samePage").GetBoolean())
    {
        throw new InvalidOperationException("Enter loaded a new page: the fetch path did not run.");
    }
    if (i < settings.Warmup)
    {
        continue;
    }
    toPaint.Add(sample.GetProperty("toPaint").GetDouble());
    fetchTimes.Add(sample.GetProperty("fetch").GetDouble());
    hitsShown += sample.GetProperty("hits").GetInt32();
}

// Page weight: a cold browser cache, a results page loaded as a shared link would load it.
var weightQuery = queries[settings.Warmup];
var cold = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
var weightPage = await cold.NewPageAsync();
await SignInAsync(weightPage, baseUrl);
await weightPage.EvaluateAsync("() => performance.clearResourceTimings()");
await weightPage.GotoAsync($"{baseUrl}/search?q={Uri.EscapeDataString(weightQuery)}", new() { WaitUntil = WaitUntilState.NetworkIdle });
var firstView = await WeightAsync(weightPage);
await weightPage.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
await weightPage.WaitForLoadStateAsync(LoadState.NetworkIdle);
await weightPage.WaitForTimeoutAsync(500);
var scrolled = await WeightAsync(weightPage);
// The same results page again in the same browser: images unchanged since the first view should cost nothing.
await weightPage.EvaluateAsync("() => performance.clearResourceTimings()");
await weightPage.GotoAsync($"{baseUrl}/search?q={Uri.EscapeDataString(weightQuery)}", new() { WaitUntil = WaitUntilState.NetworkIdle });
await weightPage.EvaluateAsync("() => window.scrollTo(0, document.body.scrollHeight)");
await weightPage.WaitForLoadStateAsync(LoadState.NetworkIdle);
await weightPage.WaitForTimeoutAsync(500);
var revisit = await WeightAsync(weightPage);

// The same queries straight to the API, for the split: the index's own time (tookMs) and the API round trip.
using var api = new HttpClient { BaseAddress = new Uri(baseUrl) };
var login = await api.PostAsync("/api/auth/login", JsonContent(new { email = AdminEmail, password = AdminPassword }));
login.EnsureSuccessStatusCode();
var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString();
api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
// And the fragment as the browser fetches it, with the browser's session cookie, without the browser.
using var web = new HttpClient { BaseAddress = new Uri(baseUrl) };
web.DefaultRequestHeaders.Add("Cookie", string.Join("; ", (await context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}")));
var tookMs = new List<double>();
var roundTrips = new List<double>();
var fragments = new List<double>();
foreach (var query in queries.Skip(settings.Warmup))
{
    var watch = Stopwatch.StartNew();
    var answer = await api.GetStringAsync($"/api/search?q={Uri.EscapeDataString(query)}&limit=20");
    roundTrips.Add(watch.Elapsed.TotalMilliseconds);
    tookMs.Add(JsonDocument.Parse(answer).RootElement.GetProperty("tookMs").GetDouble());
    watch.Restart();
    using var fragment = await web.GetAsync($"/search/results?q={Uri.EscapeDataString(query)}");
    await fragment.Content.ReadAsStringAsync();
    fragments.Add(watch.Elapsed.TotalMilliseconds);
    if (!fragment.IsSuccessStatusCode || fragment.RequestMessage?.RequestUri?.AbsolutePath != "/search/results")
    {
        throw new InvalidOperationException($"The fragment answered {(int)fragment.StatusCode} at {fragment.RequestMessage?.RequestUri}");
    }
}

// Date filters through the API: the index's time for a narrow, a half and an almost whole range of the library.
var libraryStart = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
var libraryDays = settings.Videos * 17.5 / 24;
var ranges = new[] { ("10 days", 0.40, 10.0), ("half", 0.25, libraryDays / 2), ("all but 10 days", 10 / libraryDays, libraryDays) };
var dated = new List<(string Name, Latency Took)>();
foreach (var (name, startFraction, days) in ranges)
{
    var from = libraryStart.AddDays(libraryDays * startFraction).ToString("yyyy-MM-dd");
    var to = libraryStart.AddDays(libraryDays * startFraction + days).ToString("yyyy-MM-dd");
    var samples = new List<double>();
    foreach (var query in queries.Skip(settings.Warmup))
    {
        var answer = await api.GetStringAsync($"/api/search?q={Uri.EscapeDataString(query)}&limit=20&from={from}&to={to}");
        samples.Add(JsonDocument.Parse(answer).RootElement.GetProperty("tookMs").GetDouble());
    }
    dated.Add(($"{name} ({from} to {to})", Latency.Of([.. samples])));
}

var paint = Latency.Of([.. toPaint]);
var took = Latency.Of([.. tookMs]);
var roundTrip = Latency.Of([.. roundTrips]);
var fragmentTrip = Latency.Of([.. fragments]);
var fetchLatency = Latency.Of([.. fetchTimes]);
Console.WriteLine();
Console.WriteLine($"Library                      {settings.Videos:N0} videos x {settings.SegmentsPerVideo} segments = {settings.Videos * settings.SegmentsPerVideo:N0} moments (text search, no embedding model)");
Console.WriteLine($"Queries                      {toPaint.Count} measured after {settings.Warmup} warm-up, 1-3 words each, {hitsShown / (double)toPaint.Count:F1} moments shown per query on average{(settings.BlockImages ? ", keyframes blocked" : "")}");
Console.WriteLine($"Enter -> results painted     p50 {paint.P50,6:F1} ms   p95 {paint.P95,6:F1} ms   p99 {paint.P99,6:F1} ms   max {paint.Max,6:F1} ms   (target p95 < 200 ms)");
Console.WriteLine($"  of which fragment fetch    p50 {fetchLatency.P50,6:F1} ms   p95 {fetchLatency.P95,6:F1} ms   (request start to response end)");
Console.WriteLine($"  /search/results, no browser p50 {fragmentTrip.P50,5:F1} ms   p95 {fragmentTrip.P95,6:F1} ms   (session cookie; web host + API + render)");
Console.WriteLine($"  API /api/search round trip p50 {roundTrip.P50,6:F1} ms   p95 {roundTrip.P95,6:F1} ms   (bearer token, loopback)");
Console.WriteLine($"  search index (tookMs)      p50 {took.P50,6:F1} ms   p95 {took.P95,6:F1} ms");
foreach (var (name, latency) in dated)
{
    Console.WriteLine($"  index with a date range    p50 {latency.P50,6:F1} ms   p95 {latency.P95,6:F1} ms   {name}");
}
Console.WriteLine($"Results page weight for \"{weightQuery}\" ({(settings.NoThumbnails ? "keyframes only, as before small copies existed; " : "")}cold cache, bytes transferred; body bytes in brackets):");
PrintWeight("  first view", firstView);
PrintWeight("  scrolled to the end", scrolled);
PrintWeight("  revisit, scrolled", revisit);
return 0;

static StringContent JsonContent(object value) =>
    new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

static void PrintWeight(string label, IReadOnlyDictionary<string, (long Transfer, long Body, int Count)> weight)
{
    var total = weight.Values.Sum(w => w.Transfer);
    Console.WriteLine($"{label,-24}{total / 1024.0,9:F1} KiB: " + string.Join(", ",
        weight.OrderBy(w => w.Key).Select(w => $"{w.Key} {w.Value.Count} = {w.Value.Transfer / 1024.0:F1} KiB ({w.Value.Body / 1024.0:F1})")));
}

static async Task<IReadOnlyDictionary<string, (long Transfer, long Body, int Count)>> WeightAsync(IPage page)
{
    var entries = await page.EvaluateAsync<JsonElement>("""
        () => [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")].map(e => ({
            name: e.name, type: e.entryType === "navigation" ? "html" : e.initiatorType,
            transfer: e.transferSize, body: e.encodedBodySize }))
        """);
    var weight = new Dictionary<string, (long Transfer, long Body, int Count)>();
    foreach (var entry in entries.EnumerateArray())
    {
        var name = entry.GetProperty("name").GetString() ?? "";
        var kind = entry.GetProperty("type").GetString() switch
        {
            "html" => "html",
            "img" => "images",
            "link" when name.Contains(".css", StringComparison.Ordinal) => "css",
            "script" => "js",
            var other => other ?? "other",
        };
        var (transfer, body, count) = weight.GetValueOrDefault(kind);
        weight[kind] = (transfer + entry.GetProperty("transfer").GetInt64(), body + entry.GetProperty("body").GetInt64(), count + 1);
    }
    return weight;
}

static async Task SignInAsync(IPage page, string baseUrl)
{
    await page.GotoAsync(baseUrl + "/login");
    await page.FillAsync("#email", AdminEmail);
    await page.FillAsync("#password", AdminPassword);
    await page.ClickAsync("button[type=submit]");
    await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
}

// Videos, segments and keyframes in the database, documents in the search index, one real keyframe JPEG (the size an
// HD upload's keyframes have) linked from every segment's keyframe path, and its 320 px copy (scaled as the indexer
// does) from every segment's thumbnail path unless --no-thumbnails. Creation dates spread over two years.
static async Task SeedAsync(IServiceProvider services, SyntheticCorpus corpus, Settings settings)
{
    var store = services.GetRequiredService<IMediaStore>();
    var index = services.GetRequiredService<ISearchIndex>();
    var keyframe = store.GetFullPath("bench-keyframe.jpg");
    Directory.CreateDirectory(Path.GetDirectoryName(keyframe)!);
    await new ProcessRunner(NullLogger<ProcessRunner>.Instance).RunAsync("ffmpeg",
    [
        "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=1:duration=1",
        "-frames:v", "1", "-q:v", "3", keyframe,
    ], TimeSpan.FromMinutes(1), CancellationToken.None);
    var thumbnail = store.GetFullPath("bench-thumbnail.jpg");
    await new ProcessRunner(NullLogger<ProcessRunner>.Instance).RunAsync("ffmpeg",
    [
        "-hide_banner", "-loglevel", "error", "-y", "-i", keyframe, "-vf", "scale=320:-2", "-q:v", "4", "-update", "1", thumbnail,
    ], TimeSpan.FromMinutes(1), CancellationToken.None);

    Guid uploader;
    var categories = Enumerable.Range(0, 10).Select(i => new Category
    {
        Id = new Guid(i + 1, 0, 0, new byte[8]), Name = $"Bench category {i + 1}", CreatedAt = DateTimeOffset.UtcNow,
    }).ToList();
    using (var scope = services.CreateScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        uploader = (await db.Users.SingleAsync(u => u.Email == AdminEmail)).Id;
        db.Categories.AddRange(categories);
        await db.SaveChangesAsync();
    }

    var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    const int Batch = 25;
    for (var first = 0; first < settings.Videos; first += Batch)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var documents = new List<(VideoDocument Video, List<SegmentDocument> Segments)>();
        for (var v = first; v < Math.Min(settings.Videos, first + Batch); v++)
        {
            var id = Guid.CreateVersion7();
            var created = start.AddHours(v * 17.5);
            var document = corpus.Video(id, categories[v % categories.Count].Id) with { CreatedAt = created };
            var segments = Enumerable.Range(0, settings.SegmentsPerVideo)
                .Select(i => corpus.Segment(id, i) with { TextEmbedding = null })
                .ToList();
            var video = new Video
            {
                Id = id, Title = document.Title, Description = document.Description, Keywords = [.. document.Keywords],
                CategoryId = document.CategoryId, UploaderId = uploader, Status = VideoStatus.Completed, Stage = VideoStage.Done,
                Progress = 1, StoragePath = store.OriginalPath(id, ".mp4"), ContentType = "video/mp4", SizeBytes = 1,
                Sha256 = id.ToString("N"), DurationSeconds = settings.SegmentsPerVideo * 10.0, Width = 1280, Height = 720,
                SegmentCount = segments.Count, CreatedAt = created, UpdatedAt = created,
            };
            foreach (var segment in segments)
            {
                var path = store.KeyframePath(id, segment.SegmentIndex);
                var full = store.GetFullPath(path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.CreateSymbolicLink(full, keyframe);
                if (!settings.NoThumbnails)
                {
                    File.CreateSymbolicLink(store.GetFullPath(store.SegmentThumbnailPath(id, segment.SegmentIndex)), thumbnail);
                }
                video.Segments.Add(new Segment
                {
                    VideoId = id, Index = segment.SegmentIndex, Start = segment.Start, End = segment.End,
                    Transcript = segment.Transcript, OcrText = segment.OcrText, Caption = segment.Caption, KeyframePath = path,
                });
            }
            db.Videos.Add(video);
            documents.Add((document, segments));
        }
        await db.SaveChangesAsync();
        foreach (var (video, segments) in documents)
        {
            await index.ReplaceVideoAsync(video, segments);
        }
        Console.Write($"\rSeeded {Math.Min(settings.Videos, first + Batch):N0} of {settings.Videos:N0} videos");
    }
    Console.WriteLine();
}

/// <summary>The all-in-one host on a real Kestrel port (a browser cannot reach a TestServer), data in the folder.</summary>
internal sealed class BenchHost(string dataDirectory, string adminEmail, string adminPassword) : WebApplicationFactory<App>
{
    public string Start()
    {
        UseKestrel(0);
        StartServer();
        return Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Veeky:DataDirectory", dataDirectory);
        builder.UseSetting("Veeky:BootstrapAdmin:Email", adminEmail);
        builder.UseSetting("Veeky:BootstrapAdmin:Password", adminPassword);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Production, as deployed; the static assets come from the build output's manifest, as in development.
        builder.UseEnvironment("Production");
        builder.UseStaticWebAssets();
    }
}

/// <summary>Command line of the benchmark.</summary>
internal sealed record Settings(int Videos, int SegmentsPerVideo, int Queries, int Warmup, string? Directory, bool BlockImages = false,
    bool NoThumbnails = false)
{
    public static Settings Parse(string[] args)
    {
        var settings = new Settings(Videos: 1000, SegmentsPerVideo: 100, Queries: 120, Warmup: 10, Directory: null);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            settings = args[i] switch
            {
                "--videos" => settings with { Videos = int.Parse(Next()) },
                "--segments-per-video" => settings with { SegmentsPerVideo = int.Parse(Next()) },
                "--queries" => settings with { Queries = int.Parse(Next()) },
                "--warmup" => settings with { Warmup = int.Parse(Next()) },
                "--dir" => settings with { Directory = Path.GetFullPath(Next()) },
                "--block-images" => settings with { BlockImages = true },
                "--no-thumbnails" => settings with { NoThumbnails = true },
                _ => throw new ArgumentException($"Unknown option {args[i]}; see scripts/bench-web-search"),
            };
        }
        return settings;
    }
}
