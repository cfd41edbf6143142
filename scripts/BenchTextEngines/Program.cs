using System.Diagnostics;
using Veeky.Search;

// Text engines side by side (issue 13): the moments of bench-search (same generator and seed: Zipf words, 50 segments a
// video, 10 categories) indexed into SQLite FTS5 as the FTS5 version of SqliteSearchIndex did it and into Lucene.Net 4.8 as it does now, then the same
// warm queries on both: top 10 by BM25 over every match, as admin and as a user in 3 of 10 categories. Wall time waits
// for a core on a shared machine; thread and process CPU time per query show the work itself.
var segmentCount = 100_000;
var queryCount = 100;
string? keep = null;
var luceneOnly = false;
var perField = false;
for (var i = 0; i < args.Length; i += 2)
{
    if (args[i] == "--lucene-per-field")
    {
        // The first design measured: one Lucene field per FTS column, weights as boosts (per-field IDF and length).
        perField = true;
        i--;
        continue;
    }
    if (args[i] == "--lucene-only")
    {
        // FTS5 alone takes most of the build at 1.2 million moments, and its cost there is known (about 1 µs a match).
        luceneOnly = true;
        i--;
        continue;
    }
    if (i + 1 >= args.Length)
    {
        throw new ArgumentException($"Option {args[i]} needs a value.");
    }
    switch (args[i])
    {
        case "--segments": segmentCount = int.Parse(args[i + 1]); break;
        case "--queries": queryCount = int.Parse(args[i + 1]); break;
        case "--dir": keep = args[i + 1]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}; use --segments N, --queries N, --dir PATH, --lucene-only, --lucene-per-field.");
    }
}
const int SegmentsPerVideo = 50;
const int Warmup = 10;
const int Limit = 10;
const int OverlapQueries = 20;

var folder = keep ?? Path.Combine(Path.GetTempPath(), $"veeky-bench-text-engines-{Guid.NewGuid():N}");
var ftsFolder = Path.Combine(folder, "fts5");
var luceneFolder = Path.Combine(folder, "lucene");
foreach (var sub in new[] { ftsFolder, luceneFolder })
{
    if (Directory.Exists(sub))
    {
        Directory.Delete(sub, recursive: true);
    }
    Directory.CreateDirectory(sub);
}
Console.WriteLine($"Data folder: {folder}; load average at start: {LoadAverage()}");
var categories = Enumerable.Range(0, 10).Select(i => new Guid(i + 1, 0, 0, new byte[8])).ToArray();

using var fts = luceneOnly ? null : new FtsEngine(ftsFolder);
using var lucene = new LuceneEngine(luceneFolder, perField);
ITextEngine[] engines = fts is null ? [lucene] : [fts, lucene];

// One generator feeds both engines video by video (the corpus of 1.2 million moments does not fit in memory twice);
// each engine's share of the time is measured around its own calls. The vectors are not used: 1 dimension keeps
// their generator cheap, and they come from their own random source, so the text is bench-search's.
var corpus = new SyntheticCorpus(seed: 42, dimensions: 1, imageDimensions: 0);
var buildWall = new double[engines.Length];
var buildCpu = new double[engines.Length];
var videos = segmentCount / SegmentsPerVideo;
for (var v = 0; v < videos; v++)
{
    var video = corpus.Video(Guid.NewGuid(), categories[v % categories.Length]);
    var segments = Enumerable.Range(0, SegmentsPerVideo).Select(i => corpus.Segment(video.VideoId, i)).ToList();
    for (var e = 0; e < engines.Length; e++)
    {
        var (wall, cpu) = Timed(() => engines[e].Add(video, segments, 1 + (long)v * SegmentsPerVideo));
        buildWall[e] += wall;
        buildCpu[e] += cpu;
    }
    if ((v + 1) % 200 == 0)
    {
        Console.Write($"\rIndexed {(v + 1) * SegmentsPerVideo:N0} segments ({string.Join(", ", engines.Select((x, e) => $"{x.Name} {buildWall[e] / 1000:F0} s"))})");
    }
}
Console.WriteLine();
for (var e = 0; e < engines.Length; e++)
{
    var (wall, cpu) = Timed(engines[e].Finish);
    buildWall[e] += wall;
    buildCpu[e] += cpu;
}
Console.WriteLine($"Load average after build: {LoadAverage()}");
GC.Collect();
GC.WaitForPendingFinalizers();

var queryRandom = new Random(7);
var queryCorpus = new SyntheticCorpus(seed: 42, dimensions: 1);
var kinds = new (string Name, List<IReadOnlyList<string>> Queries)[]
{
    ("common", Enumerable.Range(0, queryCount).Select(_ => FtsQuery.Terms(queryCorpus.CommonWord(queryRandom))).ToList()),
    ("rare", Enumerable.Range(0, queryCount).Select(_ => FtsQuery.Terms(queryCorpus.RareWord(queryRandom))).ToList()),
    ("multi-word", Enumerable.Range(0, queryCount).Select(_ => FtsQuery.Terms(queryCorpus.MultiWord(queryRandom))).ToList()),
};
var scopes = new (string Name, Guid[]? Categories)[] { ("admin", null), ("user 3/10", categories.Take(3).ToArray()) };

var rows = new List<(string Name, Latency[] Wall, Latency[] Thread, Latency[] Process, double Overlap, double VideoOverlap)>();
foreach (var (scopeName, allowed) in scopes)
{
    foreach (var (kind, queries) in kinds)
    {
        var wall = new Latency[engines.Length];
        var thread = new Latency[engines.Length];
        var process = new Latency[engines.Length];
        for (var e = 0; e < engines.Length; e++)
        {
            (wall[e], thread[e], process[e]) = Measure(engines[e], queries, allowed);
        }
        // Both engines rank by BM25 with the same weights; their analyzers, IDF (FTS5: rows with the word in any column;
        // Lucene: per field) and length encodings differ slightly. The 50 moments of a video share its title and
        // description, so a word found there ties them: the videos of the top 10 are compared too.
        static double Overlap(IEnumerable<long> a, IEnumerable<long> b)
        {
            var (x, y) = (a.Distinct().ToList(), b.Distinct().ToList());
            return x.Count == 0 && y.Count == 0 ? 1.0 : x.Intersect(y).Count() / (double)Math.Max(x.Count, y.Count);
        }
        var pairs = fts is null ? [] : queries.Take(OverlapQueries).Select(q => (A: fts.Search(q, allowed, Limit), B: lucene.Search(q, allowed, Limit))).ToList();
        rows.Add(($"{kind}, {scopeName}", wall, thread, process,
            pairs.Count == 0 ? double.NaN : pairs.Average(p => Overlap(p.A, p.B)),
            pairs.Count == 0 ? double.NaN : pairs.Average(p => Overlap(p.A.Select(VideoOf), p.B.Select(VideoOf)))));
    }
}

Console.WriteLine();
Console.WriteLine($"{segmentCount:N0} moments ({videos:N0} videos x {SegmentsPerVideo}, 10 categories); {queryCount} warm queries per set, top {Limit}; {Environment.ProcessorCount} cores");
Console.WriteLine($"{"",-22} {string.Concat(engines.Select(x => $"{x.Name,12}"))}");
Console.WriteLine($"{"build wall s",-22} {string.Concat(buildWall.Select(x => $"{x / 1000,12:F1}"))}");
Console.WriteLine($"{"build thread CPU s",-22} {string.Concat(buildCpu.Select(x => $"{x / 1000,12:F1}"))}   (Lucene merges on other threads too)");
Console.WriteLine($"{"index on disk MiB",-22} {string.Concat(engines.Select(x => $"{x.DiskBytes / 1048576.0,12:F1}"))}   (Lucene: {lucene.SegmentCount} segments)");
Console.WriteLine();
Console.WriteLine($"{"query set",-22} {"engine",-10} {"p50",7} {"p95",7} {"p99",7} {"thr p50",8} {"thr p95",8} {"thr p99",8} {"proc p95",9}  top-10 overlap: moments, videos");
foreach (var (name, wall, thread, process, overlap, videoOverlap) in rows)
{
    for (var e = 0; e < engines.Length; e++)
    {
        Console.WriteLine($"{(e == 0 ? name : ""),-22} {engines[e].Name,-10} {wall[e].P50,7:F1} {wall[e].P95,7:F1} {wall[e].P99,7:F1} " +
            $"{thread[e].P50,8:F1} {thread[e].P95,8:F1} {thread[e].P99,8:F1} {process[e].P95,9:F1}  {(e == 0 && !double.IsNaN(overlap) ? $"{overlap:P0}, {videoOverlap:P0}" : "")}");
    }
}
Console.WriteLine("Milliseconds: wall, CPU time of the searching thread, CPU time of the process.");
Console.WriteLine($"Load average at the end: {LoadAverage()}");
if (keep is null)
{
    fts?.Dispose();
    lucene.Dispose();
    Directory.Delete(folder, recursive: true);
}
return 0;

static (Latency Wall, Latency Thread, Latency Process) Measure(ITextEngine engine, List<IReadOnlyList<string>> queries, Guid[]? allowed)
{
    for (var i = 0; i < Math.Min(Warmup, queries.Count); i++)
    {
        engine.Search(queries[i], allowed, Limit);
    }
    var wall = new double[queries.Count];
    var thread = new double[queries.Count];
    var process = new double[queries.Count];
    for (var i = 0; i < queries.Count; i++)
    {
        var watch = Stopwatch.StartNew();
        var threadStart = CpuClock.ThreadMilliseconds();
        var processStart = CpuClock.ProcessMilliseconds();
        engine.Search(queries[i], allowed, Limit);
        thread[i] = CpuClock.ThreadMilliseconds() - threadStart;
        process[i] = CpuClock.ProcessMilliseconds() - processStart;
        wall[i] = watch.Elapsed.TotalMilliseconds;
    }
    return (Latency.Of(wall), Latency.Of(thread), Latency.Of(process));
}

static long VideoOf(long id) => (id - 1) / SegmentsPerVideo;

static (double Wall, double Cpu) Timed(Action action)
{
    var watch = Stopwatch.StartNew();
    var cpu = CpuClock.ThreadMilliseconds();
    action();
    return (watch.Elapsed.TotalMilliseconds, CpuClock.ThreadMilliseconds() - cpu);
}

static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();
