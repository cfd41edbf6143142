using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky;
using Veeky.Identity;
using Veeky.Search;

// Search benchmark: 100,000 synthetic segments (English-like words from a fixed vocabulary, Zipf-distributed so some
// terms are very common, 384-dimension vectors), then warm text and hybrid query latencies, size on disk and the
// vector index's memory. Fixed seeds: two runs index the same corpus and ask the same queries.
var settings = BenchSettings.Parse(args);
var folder = settings.Directory ?? Path.Combine(Path.GetTempPath(), $"veeky-bench-search-{Guid.NewGuid():N}");
Directory.CreateDirectory(folder);
// --reuse with --dir measures queries on an index built by an earlier run (same seed, same corpus).
var reuse = settings.Reuse && settings.Directory is not null && File.Exists(Path.Combine(folder, "search.db"));
if (!reuse)
{
    foreach (var old in Directory.GetFiles(folder, "search.db*"))
    {
        File.Delete(old);
    }
}
Console.WriteLine($"Data folder: {folder}");

var corpus = new SyntheticCorpus(seed: 42, settings.Dimensions, settings.ImageDimensions);
var categories = Enumerable.Range(0, settings.Categories).Select(i => new Guid(i + 1, 0, 0, new byte[8])).ToArray();

var index = Open(folder);
await index.InitializeAsync();
var build = Stopwatch.StartNew();
var videos = settings.Segments / settings.SegmentsPerVideo;
for (var v = 0; v < (reuse ? 0 : videos); v++)
{
    var video = corpus.Video(Guid.NewGuid(), categories[v % categories.Length]);
    var segments = Enumerable.Range(0, settings.SegmentsPerVideo).Select(i => corpus.Segment(video.VideoId, i)).ToList();
    await index.ReplaceVideoAsync(video, segments);
    if ((v + 1) % 200 == 0)
    {
        Console.Write($"\rIndexed {(v + 1) * settings.SegmentsPerVideo:N0} segments");
    }
}
build.Stop();
Console.WriteLine();
index.Dispose();
Checkpoint(Path.Combine(folder, "search.db"));
var diskBytes = Directory.GetFiles(folder, "search.db*").Sum(f => new FileInfo(f).Length);

// Reopen: measures the start-up load of the vectors and the managed memory it costs, as a restarted host would.
GC.Collect();
GC.WaitForPendingFinalizers();
var before = GC.GetTotalMemory(forceFullCollection: true);
var load = Stopwatch.StartNew();
index = Open(folder);
await index.InitializeAsync();
load.Stop();
var after = GC.GetTotalMemory(forceFullCollection: true);

var queryRandom = new Random(7);
var admin = AccessScope.System;
var user = new AccessScope(Guid.NewGuid(), Roles.User, categories.Take(Math.Max(1, categories.Length * 3 / 10)).ToHashSet());
var queries = Enumerable.Range(0, settings.Queries).Select(_ => corpus.Query(queryRandom)).ToList();
var embeddings = queries.Select(_ => corpus.Vector(queryRandom)).ToList();
// Pictures searched with (POST /api/search/image): vectors of the image model's space, from their own generator.
var pictureRandom = new Random(11);
var pictures = settings.ImageDimensions > 0 ? queries.Select(_ => corpus.Vector(pictureRandom, settings.ImageDimensions)).ToList() : null;

var rows = new List<(string Name, Latency Wall, Latency Cpu, double MeanTotal)>();
foreach (var (name, scope, mode) in new[]
{
    ("text, admin", admin, SearchMode.Text),
    ("text, user in 3/10 categories", user, SearchMode.Text),
    ("hybrid, admin", admin, SearchMode.Hybrid),
    ("hybrid, user in 3/10 categories", user, SearchMode.Hybrid),
    ("semantic, admin", admin, SearchMode.Semantic),
})
{
    var (wall, cpu, meanTotal) = await MeasureAsync(index, queries, embeddings, scope, mode, settings.Warmup);
    rows.Add((name, wall, cpu, meanTotal));
}
if (pictures is not null)
{
    // A picture alone is the image leg by itself; a picture with words adds the text leg, fused as hybrid search is.
    foreach (var (name, scope, withWords) in new[]
    {
        ("picture (image leg), admin", admin, false),
        ("picture (image leg), user in 3/10", user, false),
        ("picture + words (image + text), admin", admin, true),
        ("picture + words (image + text), user", user, true),
    })
    {
        var (wall, cpu, meanTotal) = await MeasurePicturesAsync(index, queries, pictures, scope, withWords, settings.Warmup);
        rows.Add((name, wall, cpu, meanTotal));
    }
}

Console.WriteLine();
Console.WriteLine($"Segments indexed        {settings.Segments:N0} ({videos:N0} videos x {settings.SegmentsPerVideo}, {settings.Categories} categories, {settings.Dimensions}-d text vectors, {(settings.ImageDimensions > 0 ? $"{settings.ImageDimensions}-d keyframe vectors" : "no keyframe vectors")})");
Console.WriteLine(reuse ? "Indexing time           (reused an existing index)" : $"Indexing time           {build.Elapsed.TotalSeconds:F1} s ({settings.Segments / build.Elapsed.TotalSeconds:N0} segments/s)");
Console.WriteLine($"search.db on disk       {diskBytes / 1048576.0:F1} MiB (after WAL checkpoint)");
Console.WriteLine($"Vector load on start    {load.Elapsed.TotalSeconds:F2} s");
Console.WriteLine($"Vector index memory     {index.VectorMemoryBytes / 1048576.0:F1} MiB held by the index; managed heap grew {(after - before) / 1048576.0:F1} MiB on load");
Console.WriteLine($"  per 100,000 segments  {index.VectorMemoryBytes / 1048576.0 * 100_000 / settings.Segments:F1} MiB");
Console.WriteLine();
Console.WriteLine($"{"Query set (" + settings.Queries + " warm queries, limit 10)",-40} {"p50 ms",7} {"p95 ms",7} {"p99 ms",7} {"max ms",7} {"cpu p50",8} {"cpu p95",8} {"mean total",11}");
foreach (var (name, wall, cpu, meanTotal) in rows)
{
    Console.WriteLine($"{name,-40} {wall.P50,7:F1} {wall.P95,7:F1} {wall.P99,7:F1} {wall.Max,7:F1} {cpu.P50,8:F1} {cpu.P95,8:F1} {meanTotal,11:N0}");
}
Console.WriteLine();
Console.WriteLine("Targets: p95 < 30 ms for text, < 60 ms for hybrid.");
// Wall-clock latency includes waiting for a core; the CPU time of the searching thread shows the work itself when
// other jobs share the machine.
Console.WriteLine($"Load average during the run: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores.");

index.Dispose();
if (settings.Directory is null)
{
    Directory.Delete(folder, recursive: true);
}

static SqliteSearchIndex Open(string folder) => new(
    Options.Create(new VeekyOptions { DataDirectory = folder }),
    Options.Create(new SearchOptions()),
    NullLogger<SqliteSearchIndex>.Instance);

static void Checkpoint(string path)
{
    using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
    command.ExecuteNonQuery();
}

static Task<(Latency Wall, Latency Cpu, double MeanTotal)> MeasureAsync(SqliteSearchIndex index, List<string> queries, List<float[]> embeddings,
    AccessScope scope, SearchMode mode, int warmup) =>
    MeasureRequestsAsync(index, queries.Count, i => new(queries[i], scope, mode, Limit: 10,
        QueryEmbedding: mode == SearchMode.Text ? null : embeddings[i]), mode, queries, warmup);

static Task<(Latency Wall, Latency Cpu, double MeanTotal)> MeasurePicturesAsync(SqliteSearchIndex index, List<string> queries, List<float[]> pictures,
    AccessScope scope, bool withWords, int warmup) =>
    MeasureRequestsAsync(index, queries.Count, i => withWords
        ? new(queries[i], scope, SearchMode.Hybrid, Limit: 10, QueryImageEmbedding: pictures[i])
        : new("", scope, SearchMode.Semantic, Limit: 10, QueryImageEmbedding: pictures[i]), SearchMode.Semantic, queries, warmup);

static async Task<(Latency Wall, Latency Cpu, double MeanTotal)> MeasureRequestsAsync(SqliteSearchIndex index, int count,
    Func<int, SearchRequest> Request, SearchMode mode, List<string> queries, int warmup)
{
    for (var i = 0; i < warmup; i++)
    {
        await index.SearchAsync(Request(i % count));
    }
    var samples = new double[count];
    var cpu = new double[count];
    long totals = 0;
    for (var i = 0; i < count; i++)
    {
        // SQLite has no real asynchronous I/O, so the search completes on this thread and its CPU clock sees it all.
        var cpuBefore = ThreadCpuClock.Milliseconds();
        var watch = Stopwatch.StartNew();
        var result = await index.SearchAsync(Request(i));
        samples[i] = watch.Elapsed.TotalMilliseconds;
        cpu[i] = ThreadCpuClock.Milliseconds() - cpuBefore;
        totals += result.Total;
    }
    if (Environment.GetEnvironmentVariable("BENCH_SHOW_SLOWEST") is not null)
    {
        foreach (var i in Enumerable.Range(0, samples.Length).OrderByDescending(i => samples[i]).Take(8))
        {
            Console.WriteLine($"  slow {mode} {samples[i],7:F1} ms  '{queries[i]}'");
        }
    }
    return (Latency.Of(samples), Latency.Of(cpu), (double)totals / count);
}
