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
using Veeky.Indexer.Media;
using Veeky.Indexer.Pipeline;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

// Indexes a generated video (default 10 minutes, 720p30 H.264 with speech) and prints the wall time of each stage,
// the whole ingest as a multiple of realtime, the scene pass against a decode-only pass of the same file (each alone,
// wall and CPU time) and the peak memory.
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

var data = Path.Combine(Path.GetTempPath(), $"veeky-bench-data-{Guid.NewGuid():N}");
var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Veeky:DataDirectory"] = data });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.AddServiceDefaults();
builder.AddVeekyCore();
builder.AddVeekyIndexer();
using var host = builder.Build();
await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();

// The scene pass against a decode-only pass of the same file, each alone and alternating, so both see the same machine:
// inside the pipeline the pass shares the cores with transcription, which a decode-only run does not. CPU time (of the
// ffmpeg child) is the figure to read on a machine shared with other work; wall time is what a user waits.
var rounds = (int)ArgumentOr("--rounds", 3);
Console.WriteLine($"Decode-only (ffmpeg -i f -an -f null -) and the scene pass alone, alternating, {rounds} rounds...");
var detector = host.Services.GetRequiredService<SceneDetector>();
var scratch = Directory.CreateDirectory(Path.Combine(data, "scene-pass")).FullName;
var decodeRuns = new List<ChildTime>();
var sceneRuns = new List<ChildTime>();
for (var round = 0; round < rounds; round++)
{
    decodeRuns.Add(await TimeChildAsync(() => Process.Start(new ProcessStartInfo("ffmpeg",
        ["-hide_banner", "-nostats", "-loglevel", "error", "-i", videoPath, "-an", "-f", "null", "-"]))!.WaitForExitAsync()));
    sceneRuns.Add(await TimeChildAsync(() => detector.ScanAsync(videoPath, spec.Duration, scratch, Path.Combine(scratch, "frames"), null, CancellationToken.None)));
}
var decodeAlone = ChildTime.Median(decodeRuns);
var sceneAlone = ChildTime.Median(sceneRuns);
var decodeSeconds = decodeAlone.Wall;
if (args.Contains("--scene-pass-only"))
{
    PrintScenePass();
    Directory.Delete(data, recursive: true);
    return;
}

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
PrintScenePass();
if (stageTimes.TryGetValue(nameof(VideoStage.DetectingScenes), out var scenes))
{
    Console.WriteLine($"scene detection stage (beside transcription) / decode-only: {scenes.TotalSeconds / decodeSeconds:0.00}");
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

void PrintScenePass() =>
    Console.WriteLine($"scene pass alone / decode-only (median of {rounds}): wall {sceneAlone.Wall:0.00} / {decodeAlone.Wall:0.00} s = {sceneAlone.Wall / decodeAlone.Wall:0.00}, " +
                      $"CPU {sceneAlone.Cpu:0.00} / {decodeAlone.Cpu:0.00} s = {sceneAlone.Cpu / decodeAlone.Cpu:0.00}");

// Wall time and the CPU time of the child processes it waited for (cutime + cstime of /proc/self/stat).
static async Task<ChildTime> TimeChildAsync(Func<Task> run)
{
    var cpu = ChildCpuSeconds();
    var wall = Stopwatch.StartNew();
    await run();
    return new ChildTime(wall.Elapsed.TotalSeconds, ChildCpuSeconds() - cpu);
}

static double ChildCpuSeconds()
{
    // Fields after the command name, which may hold spaces: state is field 3, cutime 16 and cstime 17, in 1/100 s.
    var fields = File.ReadAllText("/proc/self/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    return (long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture)) / 100.0;
}

static string PeakRss() =>
    File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))?["VmHWM:".Length..].Trim() ?? "unknown";

double ArgumentOr(string name, double fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

internal readonly record struct ChildTime(double Wall, double Cpu)
{
    public static ChildTime Median(List<ChildTime> runs) =>
        new(runs.Select(r => r.Wall).Order().ElementAt(runs.Count / 2), runs.Select(r => r.Cpu).Order().ElementAt(runs.Count / 2));
}
