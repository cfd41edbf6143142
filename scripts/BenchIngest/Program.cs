using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Veeky;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Indexer;
using Veeky.Indexer.Pipeline;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

// Indexes a generated video (default 10 minutes, 720p30 H.264 with speech) and prints the wall time of each stage,
// the whole ingest as a multiple of realtime, the decode-only time of the same file and the peak memory.
var minutes = ArgumentOr("--minutes", 10.0);
var width = (int)ArgumentOr("--width", 1280);
var height = (int)ArgumentOr("--height", 720);
var fps = (int)ArgumentOr("--fps", 30);

var spec = BenchSpec(minutes * 60, width, height, fps);
var cache = Path.Combine(Path.GetTempPath(), "veeky-bench");
var videoPath = Path.Combine(cache, $"bench-{minutes:0.#}min-{width}x{height}-{fps}.mp4");
if (!File.Exists(videoPath))
{
    Console.WriteLine($"Generating {videoPath} ({spec.Scenes.Count} scenes, {spec.Speech.Count} sentences)...");
    var generating = Stopwatch.StartNew();
    await new SampleVideoGenerator().GenerateAsync(spec, videoPath);
    Console.WriteLine($"  generated in {generating.Elapsed.TotalSeconds:0.0} s");
}

Console.WriteLine("Measuring decode-only time (ffmpeg -i f -an -f null -)...");
var decode = Stopwatch.StartNew();
Process.Start(new ProcessStartInfo("ffmpeg", ["-hide_banner", "-nostats", "-loglevel", "error", "-i", videoPath, "-an", "-f", "null", "-"]))!
    .WaitForExit();
var decodeSeconds = decode.Elapsed.TotalSeconds;

var data = Path.Combine(Path.GetTempPath(), $"veeky-bench-data-{Guid.NewGuid():N}");
var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Veeky:DataDirectory"] = data });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.AddVeekyCore();
builder.AddVeekyIndexer();
using var host = builder.Build();
await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();

var stageTimes = new ConcurrentDictionary<string, TimeSpan>();
using var listener = new ActivityListener
{
    ShouldListenTo = source => source.Name == IndexerTelemetry.SourceName,
    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
    ActivityStopped = activity => stageTimes[activity.DisplayName] = activity.Duration,
};
ActivitySource.AddActivityListener(listener);

var videoId = await AddVideoAsync(host.Services, videoPath);
var queue = host.Services.GetRequiredService<IJobQueue>();
var job = await queue.TryClaimAsync("bench", TimeSpan.FromHours(1)) ?? throw new InvalidOperationException("No job was queued.");
Console.WriteLine("Indexing...");
var ingest = Stopwatch.StartNew();
await host.Services.GetRequiredService<PipelineRunner>().RunAsync(job, "bench", CancellationToken.None);
var ingestSeconds = ingest.Elapsed.TotalSeconds;

Video video;
await using (var db = host.Services.GetRequiredService<StageDatabase>().Open())
{
    video = db.Videos.Single(v => v.Id == videoId);
}
var duration = video.DurationSeconds ?? spec.Duration;
Console.WriteLine();
Console.WriteLine($"video: {duration:0} s, {width}x{height} {fps} fps, {video.SegmentCount} segments, {new FileInfo(videoPath).Length / 1e6:0.0} MB");
Console.WriteLine($"{"stage",-22}{"wall s",10}{"x realtime",12}");
foreach (var stage in Enum.GetValues<VideoStage>().Select(s => s.ToString()).Where(stageTimes.ContainsKey))
{
    var seconds = stageTimes[stage].TotalSeconds;
    Console.WriteLine($"{stage,-22}{seconds,10:0.00}{duration / seconds,12:0.0}");
}
Console.WriteLine($"{"whole ingest",-22}{ingestSeconds,10:0.00}{duration / ingestSeconds,12:0.0}");
Console.WriteLine($"{"decode only (ffmpeg)",-22}{decodeSeconds,10:0.00}{duration / decodeSeconds,12:0.0}");
if (stageTimes.TryGetValue(nameof(VideoStage.DetectingScenes), out var scenes))
{
    Console.WriteLine($"scene detection / decode-only: {scenes.TotalSeconds / decodeSeconds:0.00}");
}
if (stageTimes.TryGetValue(nameof(VideoStage.ExtractingKeyframes), out var keyframes) && stageTimes.TryGetValue(nameof(VideoStage.ReadingText), out var ocr)
    && video.SegmentCount > 0)
{
    Console.WriteLine($"keyframes + OCR per segment: {(keyframes + ocr).TotalSeconds / video.SegmentCount:0.000} s");
}
var videoPathSeconds = new[] { nameof(VideoStage.DetectingScenes), nameof(VideoStage.ExtractingKeyframes), nameof(VideoStage.ReadingText) }
    .Sum(s => stageTimes.GetValueOrDefault(s).TotalSeconds);
Console.WriteLine($"video path {videoPathSeconds:0.00} s, audio path {stageTimes.GetValueOrDefault(nameof(VideoStage.Transcribing)).TotalSeconds:0.00} s");
Console.WriteLine($"peak RSS (VmHWM): {PeakRss()}");
Directory.Delete(data, recursive: true);

static async Task<Guid> AddVideoAsync(IServiceProvider services, string path)
{
    var media = services.GetRequiredService<IMediaStore>();
    var now = DateTimeOffset.UtcNow;
    var videoId = Guid.CreateVersion7();
    var relative = media.OriginalPath(videoId, ".mp4");
    await using (var source = File.OpenRead(path))
    {
        await media.SaveAsync(relative, source, long.MaxValue);
    }
    await using var db = services.GetRequiredService<StageDatabase>().Open();
    var category = new Category { Id = Guid.NewGuid(), Name = "Bench", CreatedAt = now };
    var user = new VeekyUser { Id = Guid.NewGuid(), UserName = "bench@veeky.local", Role = Roles.Editor, CreatedAt = now };
    db.Categories.Add(category);
    db.Users.Add(user);
    db.Videos.Add(new Video
    {
        Id = videoId, Title = "Bench", CategoryId = category.Id, UploaderId = user.Id, StoragePath = relative,
        Sha256 = new string('0', 64), SizeBytes = new FileInfo(path).Length, CreatedAt = now, UpdatedAt = now,
    });
    await services.GetRequiredService<IJobQueue>().EnqueueAsync(db, videoId);
    await db.SaveChangesAsync();
    return videoId;
}

// Scenes of 6 to 40 s cycling through flat colours and moving test patterns, some with words; a sentence every ~15 s.
static SampleVideoSpec BenchSpec(double totalSeconds, int width, int height, int fps)
{
    string[] sources = ["color=c=navy", "testsrc2", "color=c=darkgreen", "smptehdbars", "color=c=maroon", "testsrc2", "color=c=gray"];
    string[] words = ["REVENUE", "ROADMAP", "GIRAFFE", "QUARTERLY", "WELCOME", "SUMMARY", "BUDGET"];
    double[] lengths = [7, 12, 18, 25, 9, 14, 40, 6, 21, 11];
    string[] sentences =
    [
        "The purple elephant dances on the river bank.",
        "Quarterly revenue grew faster than expected this year.",
        "Please remember to review the roadmap before the meeting.",
        "Seven golden trumpets played a cheerful tune.",
    ];
    var scenes = new List<SampleScene>();
    var speech = new List<SampleSpeech>();
    var at = 0.0;
    for (var i = 0; at < totalSeconds; i++)
    {
        var length = Math.Min(lengths[i % lengths.Length], totalSeconds - at);
        if (length < 1) break;
        scenes.Add(new SampleScene(length, sources[i % sources.Length], i % 3 == 2 ? null : words[i % words.Length], Outlined: true));
        at += length;
    }
    for (var t = 2.0; t + 5 < at; t += 15)
    {
        speech.Add(new SampleSpeech(sentences[speech.Count % sentences.Length], t));
    }
    return new SampleVideoSpec(width, height, fps, scenes, speech);
}

static string PeakRss() =>
    File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?["VmHWM:".Length..].Trim() ?? "unknown";

double ArgumentOr(string name, double fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
