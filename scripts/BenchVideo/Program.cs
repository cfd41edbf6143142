using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Veeky.Web.Api;
using Veeky.Web.Components.Shared;

// Video page benchmark: renders the timeline strip and the transcript of a synthetic video of N moments with the
// framework's HtmlRenderer (as the page does), then loads that markup with the real player.js into headless Chromium
// and times how long following playback takes per timeupdate (the browser fires about four a second) and per seek.
int[] sizes = [100, 1000, 5000];
var chromium = "/usr/bin/chromium";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--segments": sizes = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--chromium": chromium = args[++i]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}");
    }
}

var root = FindRepositoryRoot();
var scripts = string.Concat(new[] { "app.js", "player.js" }.Select(f => File.ReadAllText(Path.Combine(root, "Veeky.Web", "wwwroot", "js", f))));
var styles = File.ReadAllText(Path.Combine(root, "Veeky.Web", "wwwroot", "css", "app.css"));

await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
await using var renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });

Console.WriteLine($"Video page: timeline strip + transcript of N moments, {Environment.ProcessorCount} cores");
Console.WriteLine("moments  render p50 ms  render p95 ms  HTML KiB  gzip KiB  timeupdate p50 ms  timeupdate p95 ms  seek click p50 ms");
foreach (var size in sizes)
{
    var videoId = Guid.NewGuid();
    var segments = Enumerable.Range(0, size)
        .Select(i => new VideoSegment(i, i * 6.5, (i + 1) * 6.5, $"moment {i} where someone says a sentence of about a dozen words aloud",
            i % 3 == 0 ? $"SLIDE {i}" : null, null, ["keyword"], $"/media/videos/{videoId}/keyframes/{i}.jpg?exp=1&sig=abcdefabcdefabcdef"))
        .ToList();

    string html = "";
    var renderTimes = new List<double>();
    for (var run = 0; run < 12; run++)
    {
        var watch = Stopwatch.StartNew();
        var chapters = VideoChapters.From(segments, size * 6.5);
        var timeline = await RenderAsync<Timeline>(renderer, new() { ["VideoId"] = videoId, ["Chapters"] = chapters, ["CurrentTime"] = (double?)13 });
        var transcript = await RenderAsync<Transcript>(renderer, new() { ["VideoId"] = videoId, ["Segments"] = segments, ["CurrentTime"] = (double?)13 });
        watch.Stop();
        if (run >= 2)
        {
            // The first runs pay for JIT compilation, which a running server has long paid.
            renderTimes.Add(watch.Elapsed.TotalMilliseconds);
        }
        html = timeline + "<aside class=\"video-side\" data-transcript-scroll style=\"max-height:600px\">" + transcript + "</aside>";
    }

    var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
    // No media file: the player's clock is stubbed so only Veeky's own work on each timeupdate is measured.
    await page.SetContentAsync($$"""
        <!DOCTYPE html><html><head><style>{{styles}}</style></head><body>
        <main class="page"><div class="video-layout"><section class="video-main"><div class="player"><video id="player"></video></div>{{html.Split("<aside")[0]}}</section>{{"<aside" + html.Split("<aside")[1]}}</div></main>
        <script>
            (function () {
                var v = document.getElementById("player"), t = 0;
                Object.defineProperty(v, "currentTime", { get: function () { return t; }, set: function (x) { t = x; } });
                Object.defineProperty(v, "readyState", { get: function () { return 4; } });
                v.play = function () { return Promise.resolve(); };
            })();
        </script>
        <script>{{scripts}}</script></body></html>
        """);
    var timeupdates = await page.EvaluateAsync<double[]>($$"""
        () => {
            const v = document.getElementById("player"), times = [];
            for (let i = 0; i < 400; i++) {
                v.currentTime = (i * 7.3) % ({{size}} * 6.5);
                const start = performance.now();
                v.dispatchEvent(new Event("timeupdate"));
                document.body.offsetHeight; // include the style and layout work the change causes
                times.push(performance.now() - start);
            }
            return times;
        }
        """);
    var seeks = await page.EvaluateAsync<double[]>("""
        () => {
            const links = document.querySelectorAll("[data-transcript] [data-seek]"), v = document.getElementById("player"), times = [];
            for (let i = 0; i < 100; i++) {
                const link = links[(i * 37) % links.length];
                const start = performance.now();
                link.click();
                v.dispatchEvent(new Event("seeked"));
                document.body.offsetHeight;
                times.push(performance.now() - start);
            }
            return times;
        }
        """);
    await page.CloseAsync();

    var bytes = System.Text.Encoding.UTF8.GetBytes(html);
    using var gzipped = new MemoryStream();
    await using (var gzip = new System.IO.Compression.GZipStream(gzipped, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
    {
        await gzip.WriteAsync(bytes);
    }
    var (render, timeupdate, seek) = (Latency.Of([.. renderTimes]), Latency.Of(timeupdates), Latency.Of(seeks));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{size,7}  {render.P50,12:F2}  {render.P95,12:F2}  {bytes.Length / 1024.0,8:F0}  {gzipped.Length / 1024.0,8:F0}  {timeupdate.P50,17:F3}  {timeupdate.P95,17:F3}  {seek.P50,17:F3}"));
}

static async Task<string> RenderAsync<T>(HtmlRenderer renderer, Dictionary<string, object?> parameters) where T : IComponent =>
    await renderer.Dispatcher.InvokeAsync(async () =>
        (await renderer.RenderComponentAsync<T>(ParameterView.FromDictionary(parameters))).ToHtmlString());

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("Run from inside the Veeky repository.");
}
