using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Veeky.AppHost.Tests.Infrastructure;
using Veeky.Tests.Infrastructure;

namespace Veeky.AppHost.Tests;

/// <summary>
/// The distributed edition as the AppHost wires it, end to end: real Postgres, OpenSearch, Redis, Ollama and Whisper
/// containers, the API, two indexers and the UI-only web host. Small models keep the downloads short. Runs only where
/// `docker info` succeeds (skipped with the reason elsewhere, CI included: CI machines have no container engine).
/// </summary>
public sealed class DistributedEditionTests
{
    private const string AdminEmail = "admin@veeky.test";
    private const string WordOnScreen = "PELICAN";

    [Fact]
    public async Task A_video_uploaded_to_the_api_is_indexed_by_an_indexer_and_found_by_a_word_on_screen()
    {
        ContainerEngine.Require();
        Requires.Tools("ffmpeg", "ffprobe", "tesseract");
        // A guard against a hung container pull, not a speed requirement: first runs download images and models.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(45));
        var ct = timeout.Token;

        using var work = new TempFolder("veeky-apphost");
        var adminPassword = $"Aa1!{RandomNumberGenerator.GetHexString(16)}";
        // Random secrets and no volumes: each run starts from empty stores, as a fresh install would.
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Veeky_AppHost>(
        [
            $"Parameters:postgres-password={RandomNumberGenerator.GetHexString(24)}",
            $"Parameters:admin-email={AdminEmail}",
            $"Parameters:admin-password={adminPassword}",
            "Veeky:AppHost:DataVolumes=false",
            "Veeky:AppHost:Gpu=false",
            "Veeky:AppHost:ChatModel=qwen2.5:0.5b",
            "Veeky:AppHost:VisionModel=moondream",
            "Veeky:AppHost:EmbeddingModel=all-minilm",
            "Veeky:AppHost:WhisperModel=Systran/faster-whisper-tiny.en",
            "Veeky:AppHost:OpenSearchHeap=512m",
            $"Veeky:AppHost:MediaDirectory={work.File("media")}",
        ], ct);
        await using var app = await appHost.BuildAsync(ct);
        await app.StartAsync(ct);

        await app.ResourceNotifications.WaitForResourceHealthyAsync("api", ct);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("web", ct);

        using var web = app.CreateHttpClient("web");
        using var signInPage = await web.GetAsync("/login", ct);
        Assert.Equal(HttpStatusCode.OK, signInPage.StatusCode);

        using var api = app.CreateHttpClient("api");
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email = AdminEmail, password = adminPassword }, ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var created = await api.PostAsJsonAsync("/api/categories", new { name = "Birds" }, ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var categoryId = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;

        var videoPath = work.File("pelican.mp4");
        await new SampleVideoGenerator().GenerateAsync(new SampleVideoSpec(640, 360, 10,
            [new SampleScene(3, "color=c=navy", WordOnScreen), new SampleScene(3, "testsrc2")], []), videoPath, ct);
        using var upload = new MultipartFormDataContent
        {
            { new StreamContent(File.OpenRead(videoPath)) { Headers = { ContentType = new MediaTypeHeaderValue("video/mp4") } }, "file", "pelican.mp4" },
            { new StringContent("A pelican on screen"), "title" },
            { new StringContent(categoryId), "categoryId" },
        };
        using var uploaded = await api.PostAsync("/api/videos", upload, ct);
        Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
        var videoId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;

        var status = await WaitUntilFinishedAsync(api, videoId, ct);
        Assert.Equal("Completed", status.GetProperty("status").GetString());

        var found = await api.GetFromJsonAsync<JsonElement>($"/api/search?q={WordOnScreen.ToLowerInvariant()}", ct);
        Assert.Contains(found.GetProperty("hits").EnumerateArray(), hit => hit.GetProperty("videoId").GetString() == videoId);
    }

    /// <summary>Polls the status until the pipeline ends either way; the caller checks which.</summary>
    private static async Task<JsonElement> WaitUntilFinishedAsync(HttpClient api, string videoId, CancellationToken ct)
    {
        while (true)
        {
            var status = await api.GetFromJsonAsync<JsonElement>($"/api/videos/{videoId}/status", ct);
            if (status.GetProperty("status").GetString() is "Completed" or "Failed")
            {
                return status;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
