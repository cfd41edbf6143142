using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Data;
using Veeky.Jobs;
using Veeky.Net;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Api;

/// <summary><c>POST /api/videos/import</c>: what the request itself is checked for, on the shared API host (private
/// networks not allowed, as by default).</summary>
[Collection(ApiCollection.Name)]
public sealed class ImportByUrlTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ftp://example.com/video.mp4")]
    [InlineData("file:///etc/passwd")]
    [InlineData("not a link")]
    public async Task A_link_that_is_not_http_or_https_is_400_and_queues_nothing(string url)
    {
        await AssertRefusedAsync(new { url, title = "Clip", categoryId = api.Visible }, "url");
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/video.mp4")]
    [InlineData("http://localhost/video.mp4")]
    [InlineData("http://10.1.2.3/video.mp4")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/video.mp4")]
    public async Task A_link_to_a_private_address_is_refused_by_default(string url)
    {
        await AssertRefusedAsync(new { url, title = "Clip", categoryId = api.Visible }, "url");
    }

    [Fact]
    public async Task The_upload_rules_for_title_and_category_apply_to_imports()
    {
        await AssertRefusedAsync(new { url = "https://example.com/v.mp4", title = "", categoryId = api.Visible }, "title");
        await AssertRefusedAsync(new { url = "https://example.com/v.mp4", title = "Clip", categoryId = api.Hidden }, "categoryId");
    }

    [Fact]
    public async Task Users_cannot_import_and_anonymous_callers_must_sign_in()
    {
        var body = new { url = "https://example.com/v.mp4", title = "Clip", categoryId = api.Visible };
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Reader.Client.PostAsJsonAsync("/api/videos/import", body, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync("/api/videos/import", body, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_connect_time_check_refuses_a_private_address_whatever_the_name_resolved_to_before()
    {
        // What DNS rebinding or a redirect amounts to: the address actually dialled is private.
        await using var server = await LoopbackFileServer.StartAsync();
        var url = server.Serve("/clip.mp4", [1, 2, 3]);
        using var guarded = new HttpClient(new SocketsHttpHandler { ConnectCallback = ImportAddressGuard.ConnectCallback(allowPrivateNetworks: false) });
        using var allowed = new HttpClient(new SocketsHttpHandler { ConnectCallback = ImportAddressGuard.ConnectCallback(allowPrivateNetworks: true) });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(url, Ct));

        Assert.IsType<PrivateAddressRefusedException>(error.InnerException);
        Assert.Equal([1, 2, 3], await allowed.GetByteArrayAsync(url, Ct));
    }

    private async Task AssertRefusedAsync(object body, string field)
    {
        await using var db = api.Factory.CreateDbContext();
        var videosBefore = await db.Videos.CountAsync(Ct);

        var response = await api.Editor.Client.PostAsJsonAsync("/api/videos/import", body, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
        Assert.Equal(videosBefore, await db.Videos.CountAsync(Ct));
    }
}

/// <summary>Imports by URL run through the all-in-one host's indexer, fetched from a loopback server (so private networks
/// are allowed here) with an upload limit of <see cref="MaxBytes"/>.</summary>
public sealed class ImportByUrlPipelineTests(ImportByUrlPipelineTests.Host host) : IClassFixture<ImportByUrlPipelineTests.Host>
{
    public const long MaxBytes = 4 * 1024 * 1024;

    /// <summary>Short, so the stalled download fails soon; well above the pauses of the slow but steady server.</summary>
    public const int IdleTimeoutSeconds = 3;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_video_served_by_a_link_is_downloaded_with_progress_and_indexed_into_segments()
    {
        Requires.Tools(SampleVideoGenerator.Tools);
        var sample = await File.ReadAllBytesAsync(await SampleVideos.ScenesPathAsync(), Ct);
        // Slowly enough (about two seconds) that progress is flushed while it downloads.
        var url = host.Files.Serve("/videos/scenes.mp4", sample, pause: TimeSpan.FromMilliseconds(200));

        var response = await host.Admin.PostAsJsonAsync("api/videos/import",
            new { url, title = "From a link", categoryId = host.CategoryId, keywords = new[] { "linked" } }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = answer.GetProperty("id").GetGuid();
        Assert.Equal("Pending", answer.GetProperty("status").GetString());
        Assert.Equal($"/api/videos/{id}", response.Headers.Location?.OriginalString);
        var video = await host.WaitForEndAsync(id);
        Assert.True(video.Status == VideoStatus.Completed, $"{video.Status}: {video.Error}");
        Assert.True(video.SegmentCount > 0);
        Assert.Equal($"videos/{id:N}/original.mp4", video.StoragePath);
        Assert.Equal(sample.Length, video.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(sample)), video.Sha256);
        Assert.Equal("scenes.mp4", video.OriginalFileName);
        Assert.Equal(sample, await File.ReadAllBytesAsync(Path.Combine(host.Web.MediaDirectory, video.StoragePath), Ct));
        Assert.Contains(host.EventsOf(id), e => e.Stage == VideoStage.Downloading && e.Progress is > 0 and < 1);
    }

    [Fact]
    public async Task A_link_that_answers_404_fails_the_video_with_the_reason_and_leaves_no_file()
    {
        var id = await ImportAsync(host.Files.Missing("/videos/gone.mp4"));

        var video = await host.WaitForEndAsync(id);

        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal($"Downloading the video failed: 127.0.0.1 answered 404 Not Found.", video.Error);
        Assert.Empty(host.FilesOf(id));
    }

    [Fact]
    public async Task A_download_above_the_upload_limit_fails_the_video_and_leaves_no_file()
    {
        // Chunked: no length announced, so only the count while streaming can stop it.
        var id = await ImportAsync(host.Files.Serve("/videos/huge.mp4", new byte[MaxBytes + 1024], chunked: true));

        var video = await host.WaitForEndAsync(id);

        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Contains($"larger than the upload limit of {MaxBytes} bytes", video.Error);
        Assert.Empty(host.FilesOf(id));
    }

    [Fact]
    public async Task A_download_that_is_not_a_video_fails_as_an_upload_would_and_leaves_no_file()
    {
        Requires.Tools("ffprobe");
        var id = await ImportAsync(host.Files.Serve("/videos/notes.mp4", "Not a video, whatever its name says.\n"u8.ToArray()));

        var video = await host.WaitForEndAsync(id);

        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Contains("not a video that can be read", video.Error);
        Assert.Empty(host.FilesOf(id));
    }

    [Fact]
    public async Task A_download_that_stalls_mid_body_fails_the_video_with_a_sentence_naming_the_stall_and_leaves_no_file()
    {
        var body = new byte[512 * 1024];
        var id = await ImportAsync(host.Files.Serve("/videos/stalls.mp4", body, stallAfter: body.Length / 2));

        var video = await host.WaitForEndAsync(id);

        Assert.Equal(VideoStatus.Failed, video.Status);
        Assert.Equal($"Downloading the video failed: 127.0.0.1 stopped sending after {body.Length / 2} bytes and sent nothing for "
            + $"{IdleTimeoutSeconds} seconds (Veeky:Import:DownloadIdleTimeout).", video.Error);
        Assert.Empty(host.FilesOf(id));
    }

    [Fact]
    public void A_download_idle_timeout_of_zero_stops_the_host_with_a_sentence_naming_the_setting()
    {
        using var factory = new ApiFactory(settings: new Dictionary<string, string?> { ["Veeky:Import:DownloadIdleTimeout"] = "00:00:00" });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Veeky:Import:DownloadIdleTimeout must be from 00:00:01 to 01:00:00", error.ToString());
    }

    private async Task<Guid> ImportAsync(Uri url)
    {
        var response = await host.Admin.PostAsJsonAsync("api/videos/import", new { url, title = "Import", categoryId = host.CategoryId }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    /// <summary>The all-in-one host, the loopback file server and a category to import into.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly List<Veeky.Progress.VideoProgressEvent> _events = [];
        private readonly CancellationTokenSource _stop = new();
        private Task _listening = Task.CompletedTask;

        public WebAllInOneHost Web { get; } = WebAllInOneHost.WithSettings(new Dictionary<string, string?>
        {
            ["Veeky:Import:AllowPrivateNetworks"] = "true",
            ["Veeky:Upload:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Veeky:Import:DownloadIdleTimeout"] = TimeSpan.FromSeconds(IdleTimeoutSeconds).ToString(),
        });

        public LoopbackFileServer Files { get; private set; } = null!;
        public HttpClient Admin { get; private set; } = null!;
        public Guid CategoryId { get; private set; }

        public async ValueTask InitializeAsync()
        {
            Files = await LoopbackFileServer.StartAsync();
            await Web.InitializeAsync();
            Admin = await Web.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
            CategoryId = await WebAllInOneHost.CreateCategoryAsync(Admin, "Imports");
            var events = Web.Services.GetRequiredService<Veeky.Progress.IProgressBroadcaster>().SubscribeAsync(_stop.Token);
            _listening = Task.Run(async () =>
            {
                try
                {
                    await foreach (var e in events)
                    {
                        lock (_events)
                        {
                            _events.Add(e);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        /// <summary>The progress events of the video so far.</summary>
        public IReadOnlyList<Veeky.Progress.VideoProgressEvent> EventsOf(Guid id)
        {
            lock (_events)
            {
                return _events.Where(e => e.Id == id).ToList();
            }
        }

        /// <summary>Files under the video's media folder.</summary>
        public IReadOnlyList<string> FilesOf(Guid id)
        {
            var folder = Path.Combine(Web.MediaDirectory, "videos", id.ToString("N"));
            return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
        }

        /// <summary>Waits until the video is Completed or Failed. A failed attempt's retry is moved forward, so the test
        /// does not sit out the queue's backoff (the retries themselves still happen).</summary>
        public async Task<Video> WaitForEndAsync(Guid id)
        {
            var provider = Web.Services.GetRequiredService<DatabaseProvider>();
            var signal = Web.Services.GetRequiredService<JobSignal>();
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            patience.CancelAfter(TimeSpan.FromMinutes(10));
            while (true)
            {
                await using (var db = new VeekyDbContext(provider.CreateOptions()))
                {
                    var video = await db.Videos.AsNoTracking().SingleAsync(v => v.Id == id, patience.Token);
                    if (video.Status is VideoStatus.Completed or VideoStatus.Failed)
                    {
                        return video;
                    }
                    var now = DateTimeOffset.UtcNow;
                    if (await db.Jobs.Where(j => j.VideoId == id && j.Status == JobStatus.Queued && j.Attempts > 0)
                            .ExecuteUpdateAsync(s => s.SetProperty(j => j.RunAfter, now), patience.Token) > 0)
                    {
                        signal.Notify();
                    }
                }
                await Task.Delay(200, patience.Token);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _listening;
            Admin?.Dispose();
            await Web.DisposeAsync();
            await Files.DisposeAsync();
        }
    }
}
