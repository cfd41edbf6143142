using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;
using Veeky.AppHost.Tests.Infrastructure;
using Veeky.Tests.Infrastructure;

namespace Veeky.AppHost.Tests;

/// <summary>
/// The AppHost's <c>embedded</c> profile as a person runs it (<c>dotnet run --launch-profile embedded</c>, no container
/// engine), proven in Chromium: a video uploaded to the web resource is indexed, and the dashboard the AppHost prints
/// the login link of shows that indexing as one trace, the upload request's, with each pipeline stage as a span and
/// the tools the stages ran inside them; the stage durations, the queue depth and the search latency are among its
/// metrics.
/// </summary>
public sealed class DashboardTraceTests
{
    private const string AdminEmail = "admin@veeky.test";

    /// <summary>The stage spans (their class names) and the tools a silent clip with words on screen runs.</summary>
    private static readonly string[] Stages = ["Probe", "DetectScenes", "ExtractKeyframes", "Transcribe", "ReadText", "Enrich", "Index"];
    private static readonly string[] Tools = ["ffprobe", "ffmpeg", "tesseract"];

    [Fact]
    public async Task The_dashboard_shows_an_uploaded_videos_indexing_as_one_trace_with_its_stages_and_tool_calls()
    {
        Requires.Tools("ffmpeg", "ffprobe", "tesseract", WebBrowser.ChromiumPath);
        // A guard against a hang, not a speed requirement.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(TimeSpan.FromMinutes(8));
        var ct = patience.Token;
        using var work = new TempFolder("veeky-dashboard");
        var adminPassword = $"Aa1!{RandomNumberGenerator.GetHexString(16)}";
        var (dashboardPort, otlpPort, resourcePort, webPort) = (FreePort(), FreePort(), FreePort(), FreePort());

        // The embedded profile, on free ports so a Veeky already on 5080 (scripts/run.sh) does not get in the way.
        await using var appHost = AppHostProcess.Start(
            ["--launch-profile", "embedded", "--",
             $"--ASPNETCORE_URLS=http://localhost:{dashboardPort}",
             $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://localhost:{otlpPort}",
             $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://localhost:{resourcePort}",
             $"--Veeky:AppHost:WebPort={webPort}",
             $"--Veeky:AppHost:EmbeddedDataDirectory={work.File("data")}"],
            new Dictionary<string, string>
            {
                ["Parameters__admin-email"] = AdminEmail,
                ["Parameters__admin-password"] = adminPassword,
            });
        var started = Stopwatch.StartNew();
        var loginLine = await appHost.LineContainingAsync("Login to the dashboard at ", ct);
        var loginUrl = new Uri(loginLine[(loginLine.IndexOf("http", StringComparison.Ordinal))..].Trim());
        TestContext.Current.SendDiagnosticMessage($"dashboard login line after {started.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(dashboardPort, loginUrl.Port);

        using var web = new HttpClient { BaseAddress = new Uri($"http://localhost:{webPort}") };
        await WaitUntilAliveAsync(web, appHost, ct);
        TestContext.Current.SendDiagnosticMessage($"web /alive after {started.Elapsed.TotalSeconds:0.0} s");

        var traceId = ActivityTraceId.CreateRandom();
        var videoId = await UploadAndIndexAsync(web, adminPassword, traceId, work, ct);
        var found = await web.GetFromJsonAsync<JsonElement>("/api/search?q=pelican&mode=text", ct);
        Assert.Contains(found.GetProperty("hits").EnumerateArray(), hit => hit.GetProperty("videoId").GetString() == videoId);

        await using var browser = await WebBrowser.LaunchAsync();
        var page = await browser.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await page.GotoAsync(loginUrl.ToString());
        // Spans reach the dashboard in OTLP batches every few seconds: look until the last stage's span is there.
        var text = "";
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            await page.GotoAsync($"http://localhost:{dashboardPort}/traces/detail/{traceId}");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            text = await page.InnerTextAsync("body");
            if (Stages.All(stage => text.Contains(stage, StringComparison.Ordinal)) && text.Contains("index video", StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("dashboard-trace"), FullPage = true });

        Assert.Contains("index video", text);
        Assert.All(Stages, stage => Assert.Contains(stage, text));
        Assert.All(Tools, tool => Assert.Contains(tool, text));
        Assert.Contains("POST /api/videos", text);

        // Metrics arrive every few seconds too; the meters and instruments are listed by name for the resource.
        var metrics = "";
        deadline = DateTime.UtcNow.AddMinutes(1);
        while (DateTime.UtcNow < deadline)
        {
            await page.GotoAsync($"http://localhost:{dashboardPort}/metrics/resource/web");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            metrics = await page.InnerTextAsync("body");
            if (metrics.Contains("veeky.search.duration", StringComparison.Ordinal)) break;
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }
        Assert.Contains("veeky.indexer.stage.duration", metrics);
        Assert.Contains("veeky.indexer.queue.depth", metrics);
        Assert.Contains("veeky.search.duration", metrics);
        Assert.False(appHost.HasExited, appHost.Output);
    }

    private static async Task WaitUntilAliveAsync(HttpClient web, AppHostProcess appHost, CancellationToken ct)
    {
        while (true)
        {
            Assert.False(appHost.HasExited, $"the AppHost exited:\n{appHost.Output}");
            try
            {
                using var alive = await web.GetAsync("/alive", ct);
                if (alive.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    /// <summary>Signs in as the admin the AppHost's parameters created, uploads a clip with words on screen under a
    /// trace of our own, and waits until it is indexed.</summary>
    private static async Task<string> UploadAndIndexAsync(HttpClient web, string adminPassword, ActivityTraceId traceId,
        TempFolder work, CancellationToken ct)
    {
        using var login = await web.PostAsJsonAsync("/api/auth/login", new { email = AdminEmail, password = adminPassword }, ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString();
        web.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var created = await web.PostAsJsonAsync("/api/categories", new { name = "Traced" }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var categoryId = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;

        var videoPath = work.File("traced.mp4");
        await new SampleVideoGenerator().GenerateAsync(new SampleVideoSpec(320, 180, 10,
            [new SampleScene(2, "color=c=navy", "PELICAN"), new SampleScene(2, "testsrc2")], []), videoPath, ct);
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/videos")
        {
            Content = new MultipartFormDataContent
            {
                { new StreamContent(File.OpenRead(videoPath)) { Headers = { ContentType = new MediaTypeHeaderValue("video/mp4") } }, "file", "traced.mp4" },
                { new StringContent("A traced clip"), "title" },
                { new StringContent(categoryId), "categoryId" },
            },
        };
        // The caller's trace: the upload request, and so the indexing job, join it.
        upload.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var uploaded = await web.SendAsync(upload, ct);
        Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
        var videoId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;

        while (true)
        {
            var status = await web.GetFromJsonAsync<JsonElement>($"/api/videos/{videoId}/status", ct);
            var state = status.GetProperty("status").GetString();
            if (state is "Completed")
            {
                return videoId;
            }
            Assert.NotEqual("Failed", state);
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><c>Veeky.AppHost.Tests/TestResults/screenshots</c> (git-ignored), for people to look at; the README's
    /// picture in docs/ is a copy of one.</summary>
    private static string ScreenshotPath(string name)
    {
        var folder = Path.Combine(AppHostProcess.RepositoryRoot, "Veeky.AppHost.Tests", "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, name + ".png");
    }
}
