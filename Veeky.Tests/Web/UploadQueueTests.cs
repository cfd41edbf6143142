using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Veeky.Data;
using Veeky.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The upload page's queue against the all-in-one host. A browser that cancels an upload (upload.js calls
/// <c>xhr.abort()</c>) closes its connection mid-body: the web host's relay must cancel its request to the API, and
/// the API must keep nothing of it, neither row nor file.
/// </summary>
public sealed class UploadQueueTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    /// <summary>Generous: only a slow machine makes these waits long; they end as soon as the state is reached.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cancelled_upload_leaves_no_row_and_no_file()
    {
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        using var created = await admin.PostAsJsonAsync("api/categories", new { name = "Cancel " + Guid.NewGuid().ToString("N")[..8] }, Ct);
        created.EnsureSuccessStatusCode();
        var category = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        using var web = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var token = WebPageForms.HiddenFields(await web.GetStringAsync("upload", Ct))["__RequestVerificationToken"];
        var videos = Path.Combine(host.MediaDirectory, "videos");
        var before = Folders(videos);
        var title = "Cancelled " + Guid.NewGuid().ToString("N")[..8];

        var body = new StalledUpload(new Dictionary<string, string> { ["title"] = title, ["categoryId"] = category.ToString() });
        using var request = new HttpRequestMessage(HttpMethod.Post, "upload") { Content = body };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.Accept.ParseAdd("application/json");
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var sending = web.SendAsync(request, abort.Token);

        // The API has started writing the file: the worst moment to give up.
        await WaitForAsync(() => Folders(videos).Except(before).Any(f => Directory.EnumerateFiles(f, "original.*").Any()));
        var partial = Folders(videos).Except(before).Single();
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);

        await WaitForAsync(() => !Directory.Exists(partial));
        Assert.Equal(before, Folders(videos));
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        Assert.False(await db.Videos.AnyAsync(v => v.Title == title, Ct));
        Assert.False(await db.Jobs.AnyAsync(j => !db.Videos.Any(v => v.Id == j.VideoId), Ct));

        // The relay is still fine for the next upload (the same session, the same form token).
        using var next = new HttpRequestMessage(HttpMethod.Post, "upload") { Content = new StringContent("") };
        next.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("multipart/form-data") { Parameters = { new("boundary", "x") } };
        next.Headers.Add("RequestVerificationToken", token);
        next.Headers.Accept.ParseAdd("application/json");
        using var direct = new StringContent("");
        direct.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("multipart/form-data") { Parameters = { new("boundary", "x") } };
        using var api = await admin.PostAsync("api/videos", direct, Ct);
        Assert.True(api.StatusCode == HttpStatusCode.BadRequest, "API: " + await api.Content.ReadAsStringAsync(Ct));
        using var refused = await web.SendAsync(next, Ct);
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, await refused.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Cancel_on_a_row_of_the_upload_page_stops_that_upload_and_nothing_of_it_stays()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        Requires.Tools(SampleVideoGenerator.Tools);
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        await WebAllInOneHost.CreateCategoryAsync(admin, "Cancel in browser " + Guid.NewGuid().ToString("N")[..8]);
        using var media = new TempFolder("veeky-web-cancel");
        var file = media.File("slow_upload.mp4");
        File.Copy(await SampleVideos.ScenesPathAsync(), file);
        var videos = Path.Combine(host.MediaDirectory, "videos");
        var before = Folders(videos);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = WebBrowser.Desktop });
        await page.GotoAsync(host.BaseUrl + "/upload");
        await WebBrowser.SignInOnPageAsync(page, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword, host.BaseUrl + "/upload");

        // A slow uplink, so the upload is still under way when Cancel is pressed.
        await WebBrowser.SlowUploadsAsync(page);
        await page.SetInputFilesAsync("#file", file);
        var row = page.Locator(".upload-item");
        await page.ClickAsync("form[data-upload] button[type=submit]");
        await Expect(row).ToHaveAttributeAsync("data-state", "sending");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-file-meter]').value > 0");
        // The API has begun writing the file to disk by now: what it keeps of a cancelled upload is what counts.
        await WaitForAsync(() => Folders(videos).Except(before).Any());
        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel the upload of slow_upload.mp4" }).ClickAsync();

        await Expect(row).ToHaveAttributeAsync("data-state", "cancelled");
        await Expect(row.Locator("[data-file-message]")).ToContainTextAsync("Cancelled");
        await Expect(row.Locator("[data-file-link]")).ToBeHiddenAsync();
        await WaitForAsync(() => Folders(videos).SetEquals(before));
        await using var scope = host.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Videos.AnyAsync(v => v.Title == "slow upload", Ct));
    }

    [Fact]
    public async Task Dropped_files_join_the_queue_with_titles_from_their_names_and_a_waiting_row_can_be_removed()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        using (var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword))
        {
            await WebAllInOneHost.CreateCategoryAsync(admin, "Drop " + Guid.NewGuid().ToString("N")[..8]);
        }
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await browser.Browser.NewPageAsync(new() { ViewportSize = WebBrowser.Phone });
        await page.GotoAsync(host.BaseUrl + "/upload");
        await WebBrowser.SignInOnPageAsync(page, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword, host.BaseUrl + "/upload");
        // With script the single title field gives way to one per file.
        await Expect(page.Locator("#title")).ToBeHiddenAsync();
        Assert.True(await page.Locator("#file").EvaluateAsync<bool>("input => input.multiple && !input.required"));

        await page.Locator("[data-upload-drop]").EvaluateAsync("""
            zone => {
                const files = new DataTransfer();
                files.items.add(new File(["a"], "Q3_all-hands.final.mp4", { type: "video/mp4" }));
                files.items.add(new File(["b"], "demo.webm", { type: "video/webm" }));
                zone.dispatchEvent(new DragEvent("drop", { dataTransfer: files, bubbles: true, cancelable: true }));
            }
            """);

        var rows = page.Locator(".upload-item");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("[data-file-title]")).ToHaveValueAsync("Q3 all hands final");
        await Expect(rows.Nth(1).Locator("[data-file-title]")).ToHaveValueAsync("demo");
        await Expect(page.Locator("form[data-upload] button[type=submit]")).ToHaveTextAsync("Upload 2 videos");
        await rows.Nth(1).GetByRole(AriaRole.Button, new() { Name = "Remove demo.webm" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator("form[data-upload] button[type=submit]")).ToHaveTextAsync("Upload");

        // A title cleared by hand is caught before anything is sent.
        await rows.Nth(0).Locator("[data-file-title]").FillAsync("  ");
        await page.ClickAsync("form[data-upload] button[type=submit]");
        await Expect(page.Locator("[data-upload-error]")).ToHaveTextAsync("Every file needs a title.");
        await Expect(rows.Nth(0)).ToHaveAttributeAsync("data-state", "queued");
        var wide = await page.EvaluateAsync<string>("() => document.documentElement.scrollWidth + ' ' + window.innerWidth + ' ' + [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.tagName + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).join(', ')");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), wide);
    }

    private static HashSet<string> Folders(string path) =>
        Directory.Exists(path) ? Directory.EnumerateDirectories(path).ToHashSet() : [];

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(Patience);
        while (!condition())
        {
            await Task.Delay(50, patience.Token);
        }
    }

    /// <summary>A multipart body that sends its fields and the start of a large file, then stalls until cancelled,
    /// as a browser's upload does when the person presses Cancel halfway.</summary>
    private sealed class StalledUpload : HttpContent
    {
        private const string Boundary = "----veeky-cancel-test";
        private readonly IReadOnlyDictionary<string, string> fields;

        public StalledUpload(IReadOnlyDictionary<string, string> fields)
        {
            this.fields = fields;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("multipart/form-data") { Parameters = { new("boundary", Boundary) } };
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var head = new StringBuilder();
            foreach (var (name, value) in fields)
            {
                head.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
            }
            head.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"half.mp4\"\r\nContent-Type: video/mp4\r\n\r\n");
            await stream.WriteAsync(Encoding.UTF8.GetBytes(head.ToString()), cancellationToken);
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 4; i++)
            {
                Random.Shared.NextBytes(chunk);
                await stream.WriteAsync(chunk, cancellationToken);
            }
            await stream.FlushAsync(cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
