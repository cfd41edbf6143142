using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Indexer.Pipeline;
using Veeky.Jobs;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;
using Veeky.Tests.Pipeline;
using Veeky.Videos;

namespace Veeky.Tests.Distributed;

/// <summary>
/// A video's indexing is one trace across API and indexer: the upload request's trace id (from the caller's
/// <c>traceparent</c>) is stored with the job, and an indexer host on the same database runs every stage as a span of
/// that trace, under one "index video" span, with the tools each stage ran (ffprobe, ffmpeg) as the stage's children.
/// </summary>
[Collection(PostgresRedisApiCollection.Name)]
public sealed class IndexingTraceTests(PostgresRedisApiFixture fixture)
{
    /// <summary>Far above the seconds indexing a one-second clip takes; only a hang reaches it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Every_stage_span_of_an_uploaded_video_belongs_to_the_upload_requests_trace_with_its_tool_calls_inside()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        var api = fixture.Require();
        var ct = TestContext.Current.CancellationToken;
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            // ASP.NET Core only creates its request activity (and so honours traceparent) when someone listens.
            ShouldListenTo = source => source.Name is IndexerTelemetry.SourceName or ProcessRunner.ActivitySourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var traceId = ActivityTraceId.CreateRandom();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/videos") { Content = await UploadFormAsync(api.Visible) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        var response = await api.Editor.Client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var videoId = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();

        await using var indexer = await IndexerHost.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:veeky"] = api.Factory.Settings["ConnectionStrings:veeky"],
            ["Veeky:DataDirectory"] = api.Factory.DataDirectory,
        });
        await indexer.StartAsync();
        await WaitUntilFinishedAsync(indexer, videoId);

        var job = await indexer.LoadJobAsync(videoId);
        var ofVideo = spans.Where(s => s.Source.Name == IndexerTelemetry.SourceName
                                       && Equals(s.GetTagItem(IndexerTelemetry.VideoIdTag), videoId)).ToList();
        var root = Assert.Single(ofVideo, s => s.OperationName == "index video");
        var stages = ofVideo.Where(s => s.GetTagItem(IndexerTelemetry.StageTag) is not null).ToList();
        Assert.Equal(VideoStatus.Completed, (await indexer.LoadVideoAsync(videoId))!.Status);
        Assert.Contains(traceId.ToString(), job!.TraceParent);
        Assert.Equal(traceId, root.TraceId);
        var probe = Assert.Single(stages, s => s.OperationName == "Probe");
        Assert.Contains(stages, s => s.OperationName == "DetectScenes");
        Assert.Contains(stages, s => s.OperationName == "Index");
        Assert.All(stages, s =>
        {
            Assert.Equal(traceId, s.TraceId);
            Assert.Equal(root.SpanId, s.ParentSpanId);
        });
        var tools = spans.Where(s => s.Source.Name == ProcessRunner.ActivitySourceName && s.TraceId == traceId).ToList();
        Assert.Contains(tools, s => s.OperationName == "ffprobe" && s.ParentSpanId == probe.SpanId);
        Assert.Contains(tools, s => s.OperationName == "ffmpeg" && stages.Any(stage => stage.SpanId == s.ParentSpanId));
    }

    /// <summary>Waits for the job's end rather than the video's: the job is completed after its span has ended.</summary>
    private static async Task WaitUntilFinishedAsync(IndexerHost host, Guid videoId)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(Patience);
        while ((await host.LoadJobAsync(videoId))?.Status is not (JobStatus.Succeeded or JobStatus.Failed))
        {
            await Task.Delay(100, guard.Token);
        }
    }

    private static async Task<MultipartFormDataContent> UploadFormAsync(Guid categoryId)
    {
        using var folder = new TempFolder("veeky-trace");
        var path = folder.File("clip.mp4");
        var runner = new ProcessRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<ProcessRunner>.Instance);
        await runner.RunAsync("ffmpeg",
            ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-pix_fmt", "yuv420p", "-y", path],
            TimeSpan.FromMinutes(1), CancellationToken.None);
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        return new MultipartFormDataContent
        {
            { new StringContent("Traced clip"), "title" },
            { new StringContent(categoryId.ToString()), "categoryId" },
            { file, "file", "clip.mp4" },
        };
    }
}
