using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Data;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>
/// Uploads past ASP.NET Core's 128 MiB form limit, through the web host's plain form (no script) and straight to the
/// API host: accepted up to <c>Veeky:Upload:MaxBytes</c>, refused above it with the API's sentence.
/// </summary>
public sealed class LargeUploadTests
{
    /// <summary>Past the 128 MiB multipart limit the form reader (and with it the antiforgery check) stops at.</summary>
    private const long PastTheFormLimit = 129L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_plain_form_upload_over_128_MiB_in_the_all_in_one_host_is_accepted_and_lands_on_the_video()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        using var folder = new TempFolder("veeky-large-upload");
        var video = await PaddedVideoAsync(folder.File("large.mp4"), PastTheFormLimit);
        await using var host = new WebAllInOneHost();
        await host.InitializeAsync();
        using var hold = host.Jobs.Hold(); // the upload is the point, not its indexing
        var (client, categoryId) = await SignedInUploaderAsync(host);

        using var response = await PlainFormAsync(client, categoryId, video);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/videos/", location, StringComparison.Ordinal);
        var id = Guid.Parse(location["/videos/".Length..]);
        await using var scope = host.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Videos.SingleAsync(v => v.Id == id, Ct);
        Assert.Equal(new FileInfo(video).Length, row.SizeBytes);
        Assert.Equal(row.SizeBytes, new FileInfo(Path.Combine(host.MediaDirectory, row.StoragePath)).Length);
    }

    [Fact]
    public async Task An_upload_over_128_MiB_straight_to_the_api_host_is_accepted()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        using var folder = new TempFolder("veeky-large-upload");
        var video = await PaddedVideoAsync(folder.File("large.mp4"), PastTheFormLimit);
        await using var api = new ApiFactory();
        var admin = api.CreateClient();
        admin.Timeout = TimeSpan.FromMinutes(5);
        var token = await (await admin.PostAsJsonAsync("/api/auth/login", new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        var category = await (await admin.PostAsJsonAsync("/api/categories", new { name = "Large" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        await using var file = File.OpenRead(video);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("A long recording"), "title" },
            { new StringContent(category.GetProperty("id").GetString()!), "categoryId" },
            { new StreamContent(file), "file", "large.mp4" },
        };
        using var response = await admin.PostAsync("/api/videos", form, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(new FileInfo(video).Length, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sizeBytes").GetInt64());
    }

    [Fact]
    public async Task A_form_upload_above_the_limit_is_refused_with_the_apis_413_sentence_and_leaves_nothing_behind()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        using var folder = new TempFolder("veeky-large-upload");
        var video = await PaddedVideoAsync(folder.File("large.mp4"), 3 * 1024 * 1024);
        await using var host = WebAllInOneHost.WithSettings(new Dictionary<string, string?> { ["Veeky:Upload:MaxBytes"] = (1024 * 1024).ToString() });
        await host.InitializeAsync();
        var (client, categoryId) = await SignedInUploaderAsync(host);

        using var plain = await PlainFormAsync(client, categoryId, video);
        using var scripted = await PlainFormAsync(client, categoryId, video, asScript: true);

        Assert.Equal(HttpStatusCode.Redirect, plain.StatusCode);
        var error = Uri.UnescapeDataString(plain.Headers.Location!.OriginalString);
        Assert.StartsWith("/upload?error=", error, StringComparison.Ordinal);
        Assert.Contains("larger than the upload limit", error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, scripted.StatusCode);
        using var problem = JsonDocument.Parse(await scripted.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Veeky:Upload:MaxBytes", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(host.MediaDirectory, "videos")) && Directory.EnumerateFiles(Path.Combine(host.MediaDirectory, "videos"), "*", SearchOption.AllDirectories).Any());
    }

    private static async Task<(HttpClient Client, Guid CategoryId)> SignedInUploaderAsync(WebAllInOneHost host)
    {
        using var api = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var categoryId = await WebAllInOneHost.CreateCategoryAsync(api, "Recordings");
        return (await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword), categoryId);
    }

    /// <summary>Posts the upload page's form as a browser does: token first (where the page renders it), then the fields
    /// and the file; <paramref name="asScript"/> sends the token as upload.js does, as a header, and asks for JSON.</summary>
    private static async Task<HttpResponseMessage> PlainFormAsync(HttpClient client, Guid categoryId, string videoPath, bool asScript = false)
    {
        var token = WebPageForms.HiddenFields(await client.GetStringAsync("/upload", Ct))["__RequestVerificationToken"];
        var file = File.OpenRead(videoPath);
        var form = new MultipartFormDataContent();
        if (!asScript)
        {
            form.Add(new StringContent(token), "__RequestVerificationToken");
        }
        form.Add(new StringContent("A long recording"), "title");
        form.Add(new StringContent(categoryId.ToString()), "categoryId");
        var part = new StreamContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(part, "file", "large.mp4");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = form };
        if (asScript)
        {
            request.Headers.Add("RequestVerificationToken", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }
        return await client.SendAsync(request, Ct);
    }

    /// <summary>A one-second MP4 followed by a top-level <c>free</c> box that brings it to <paramref name="size"/> bytes: a
    /// real video to ffprobe, as large as a test needs.</summary>
    private static async Task<string> PaddedVideoAsync(string path, long size)
    {
        var runner = new ProcessRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<ProcessRunner>.Instance);
        await runner.RunAsync("ffmpeg",
            ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-pix_fmt", "yuv420p", "-y", path],
            TimeSpan.FromMinutes(1), Ct);
        await using var output = new FileStream(path, FileMode.Append);
        var padding = size - output.Length;
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)padding);
        "free"u8.CopyTo(header.AsSpan(4));
        await output.WriteAsync(header, Ct);
        output.SetLength(size); // the rest of the box: zeros
        return path;
    }
}
