using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>
/// The hosts people start, started as they start them and visited in Chromium with compression on: every stylesheet
/// and script of every page arrives whole. The in-process test hosts cannot see this: they never serve from the build
/// or publish output the way a started host does.
/// </summary>
[Collection(StartedHostCollection.Name)]
public sealed partial class StartedHostTests(StartedVideoSite site)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_host_run_sh_starts_serves_every_pages_styles_and_scripts_whole_compressed_and_cached_for_good()
    {
        // The collection's host: started by run.sh, and shared with the accessibility and flow checks.
        await site.ReadyAsync();
        var host = site.Host;

        var assets = await VisitEveryPageAsync(host, site.CategoryId, site.VideoId);

        foreach (var asset in assets)
        {
            // Published output: the precompressed copies, and fingerprinted names cached for good.
            Assert.True(asset.Encoding is "br" or "gzip", $"{asset.Url} came {asset.Encoding ?? "uncompressed"}");
            Assert.Contains("immutable", asset.CacheControl ?? "");
        }
        // run.sh named the URL it was given once, and the host listens there only (no second --urls of its own).
        Assert.Contains($"starting on {host.BaseUrl}", host.Output);
        Assert.Contains($"Now listening on: {host.BaseUrl}", host.Output);
        Assert.DoesNotContain("localhost:5080", host.Output);
        // The data went where Veeky__DataDirectory said, not next to the program.
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, "veeky.db")));
    }

    [Fact]
    public async Task Dotnet_run_of_the_build_output_in_production_serves_every_pages_styles_and_scripts_whole()
    {
        Requires.Tools(WebBrowser.ChromiumPath, "ffmpeg", "ffprobe");
        await using var host = await StartedHost.DotnetRunAsync(Ct);
        using var api = await SignInToApiAsync(host);
        var categoryId = await CreateCategoryAsync(api);

        var assets = await VisitEveryPageAsync(host, categoryId, await UploadClipAsync(api, categoryId));

        Assert.Contains("Hosting environment: Production", host.Output);
        Assert.DoesNotContain("Static Web Assets are not enabled", host.Output);
        Assert.Contains(assets, a => a.Encoding is "gzip" or "br");
    }

    [Theory]
    [InlineData("Veeky.Api")]
    [InlineData("Veeky.Indexer")]
    public async Task The_distributed_hosts_publish_and_their_published_program_starts(string project)
    {
        using var output = new TempFolder("veeky-publish");

        await using var host = await StartedHost.PublishedAsync(project, output.Path, Ct);

        using var client = new HttpClient();
        using var health = await client.GetAsync(host.BaseUrl + "/health", Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.True(File.Exists(Path.Combine(output.Path, "appsettings.json")));
        Assert.Contains("Hosting environment: Production", host.Output);
    }

    /// <summary>Signs in and opens each page (with a category and a video on the host, so that every page has something
    /// to show) in a fresh browser context (nothing cached) and checks every stylesheet and script it loads: 200, a
    /// body equal to the file in wwwroot, and stylesheets the browser parsed into rules.</summary>
    private static async Task<IReadOnlyList<LoadedAsset>> VisitEveryPageAsync(StartedHost host, Guid categoryId, Guid videoId)
    {
        using var api = await SignInToApiAsync(host);
        var me = await api.GetFromJsonAsync<JsonElement>("api/auth/me", Ct);
        var adminId = me.GetProperty("id").GetGuid();

        await using var browser = await WebBrowser.LaunchAsync();
        var signedIn = await SignInAsync(browser, host);
        string[] pages =
        [
            "/", "/upload", "/search?q=orange", $"/videos/{videoId}", "/admin", "/admin/prompts", "/admin/llm-settings",
            $"/admin/categories/{categoryId}", $"/admin/users/{adminId}", "/access-denied", "/not-found",
        ];
        var all = new List<LoadedAsset>(await LoadAssetsAsync(browser, host, "/login", storageState: null));
        foreach (var path in pages)
        {
            all.AddRange(await LoadAssetsAsync(browser, host, path, signedIn));
        }
        Assert.Contains(all, a => a.Url.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(all, a => a.Url.EndsWith(".js", StringComparison.Ordinal));
        return all;
    }

    private static async Task<IReadOnlyList<LoadedAsset>> LoadAssetsAsync(WebBrowser browser, StartedHost host, string path, string? storageState)
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { StorageState = storageState });
        var page = await context.NewPageAsync();
        var responses = new List<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType is "stylesheet" or "script")
            {
                lock (responses)
                {
                    responses.Add(response);
                }
            }
        };
        var navigation = await page.GotoAsync(host.BaseUrl + path, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        Assert.NotNull(navigation);
        Assert.True(navigation.Status is 200 or 404, $"{path} answered {navigation.Status}");
        Assert.EndsWith(path, page.Url);

        var sheets = await page.EvaluateAsync<SheetRules[]>(
            "() => [...document.styleSheets].map(s => ({ href: s.href ?? '', rules: s.cssRules.length }))");
        Assert.NotEmpty(sheets);
        Assert.All(sheets, s => Assert.True(s.Rules > 0, $"{path}: the stylesheet {s.Href} has no rules"));

        var loaded = new List<LoadedAsset>();
        foreach (var response in responses)
        {
            Assert.True(response.Status == 200, $"{path}: {response.Url} answered {response.Status}");
            var body = await response.BodyAsync();
            Assert.True(body.Length > 0, $"{path}: {response.Url} arrived empty");
            Assert.Equal(await File.ReadAllBytesAsync(WwwrootFile(response.Url), Ct), body);
            var headers = await response.AllHeadersAsync();
            loaded.Add(new LoadedAsset(response.Url, headers.GetValueOrDefault("content-encoding"), headers.GetValueOrDefault("cache-control")));
        }
        Assert.NotEmpty(loaded);
        return loaded;
    }

    /// <summary><c>http://host/css/app.7dlbtev1d0.css</c> → <c>Veeky.Web/wwwroot/css/app.css</c>.</summary>
    private static string WwwrootFile(string url)
    {
        var path = new Uri(url).AbsolutePath.TrimStart('/');
        var match = Fingerprinted().Match(path);
        Assert.True(match.Success, $"{url} is not a fingerprinted asset");
        return Path.Combine(StartedHost.RepositoryRoot, "Veeky.Web", "wwwroot", match.Groups["name"].Value + match.Groups["ext"].Value);
    }

    private static async Task<string> SignInAsync(WebBrowser browser, StartedHost host)
    {
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/login");
        await page.FillAsync("#email", StartedHost.AdminEmail);
        await page.FillAsync("#password", StartedHost.AdminPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        return await context.StorageStateAsync();
    }

    private static async Task<HttpClient> SignInToApiAsync(StartedHost host)
    {
        var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl + "/"), Timeout = TimeSpan.FromMinutes(2) };
        using var response = await client.PostAsJsonAsync("api/auth/login", new { email = StartedHost.AdminEmail, password = StartedHost.AdminPassword }, Ct);
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    private static async Task<Guid> CreateCategoryAsync(HttpClient api)
    {
        using var response = await api.PostAsJsonAsync("api/categories", new { name = "Started host" }, Ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> UploadClipAsync(HttpClient api, Guid categoryId)
    {
        using var folder = new TempFolder("veeky-started-host-clip");
        var clip = folder.File("clip.mp4");
        var ffmpeg = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        await ffmpeg.RunAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=orange:size=320x240:rate=15:duration=2",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", clip,
        ], TimeSpan.FromMinutes(1), Ct);
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(clip));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "file", "clip.mp4");
        form.Add(new StringContent("Orange clip"), "title");
        form.Add(new StringContent(categoryId.ToString()), "categoryId");
        using var response = await api.PostAsync("api/videos", form, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    [GeneratedRegex(@"^(?<name>.+)\.[a-z0-9]{8,12}(?<ext>\.(css|js))$")]
    private static partial Regex Fingerprinted();

    private sealed class SheetRules
    {
        public string Href { get; set; } = "";
        public int Rules { get; set; }
    }

    private sealed record LoadedAsset(string Url, string? Encoding, string? CacheControl);
}

/// <summary>The started hosts build or publish Veeky.Web: one at a time, and not beside the parallel tests. The host
/// run.sh starts is started once for the collection (<see cref="StartedVideoSite"/>).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StartedHostCollection : ICollectionFixture<StartedVideoSite>
{
    public const string Name = "Started hosts";
}
