using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky;
using Veeky.Identity;
using Veeky.Search;

// Search benchmark: synthetic moments (Zipf-distributed words, clustered 384-d vectors), built into a temporary
// search.db; then a fresh process opens it as a restarted host would and measures start-up, memory, warm latencies of
// text, semantic and hybrid search for common, rare and multi-word queries as admin and as a user in 3 of 10
// categories, and recall@10 against exact scoring of all matches. Fixed seeds: two runs index the same corpus and ask
// the same queries.
var settings = BenchSettings.Parse(args);
var folder = settings.Directory ?? Path.Combine(Path.GetTempPath(), $"veeky-bench-search-{Guid.NewGuid():N}");
Directory.CreateDirectory(folder);
var database = Path.Combine(folder, "search.db");
var categories = Enumerable.Range(0, settings.Categories).Select(i => new Guid(i + 1, 0, 0, new byte[8])).ToArray();

if (settings.ScanOnly)
{
    return ScanOnly(settings, categories);
}

if (settings.Reuse && File.Exists(database))
{
    return await MeasureAsync(settings, folder, database, categories);
}

foreach (var old in Directory.GetFiles(folder, "search.*"))
{
    File.Delete(old);
}
if (Directory.Exists(Path.Combine(folder, "search-text")))
{
    Directory.Delete(Path.Combine(folder, "search-text"), recursive: true);
}
Console.WriteLine($"Data folder: {folder}");
var corpus = new SyntheticCorpus(seed: 42, settings.Dimensions, settings.ImageDimensions);
var index = Open(folder);
await index.InitializeAsync();
var build = Stopwatch.StartNew();
var videos = settings.Segments / settings.SegmentsPerVideo;
for (var v = 0; v < videos; v++)
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
// Process CPU time (every thread: the writer, Lucene's flushes and merges, the GC) besides wall time: on a shared
// machine the wall clock mostly measures the queue for a core.
var buildCpu = Process.GetCurrentProcess().TotalProcessorTime;
Console.WriteLine();
// Closing saves the vectors to search-vectors/ (what a restarted host reads instead of every row of search.db).
var closing = Stopwatch.StartNew();
index.Dispose();
closing.Stop();
Checkpoint(database);
var databaseBytes = Directory.GetFiles(folder, "search.*").Sum(f => new FileInfo(f).Length);
var textIndexBytes = Directory.GetFiles(Path.Combine(folder, "search-text")).Sum(f => new FileInfo(f).Length);
var vectorFileBytes = Directory.GetFiles(Path.Combine(folder, "search-vectors")).Sum(f => new FileInfo(f).Length);
Console.WriteLine($"Segments indexed        {settings.Segments:N0} ({videos:N0} videos x {settings.SegmentsPerVideo}, {settings.Categories} categories, {settings.Dimensions}-d text vectors, {(settings.ImageDimensions > 0 ? $"{settings.ImageDimensions}-d keyframe vectors" : "no keyframe vectors")})");
Console.WriteLine($"Indexing time           {build.Elapsed.TotalSeconds:F1} s ({settings.Segments / build.Elapsed.TotalSeconds:N0} segments/s); process CPU {buildCpu.TotalSeconds:F1} s ({settings.Segments / buildCpu.TotalSeconds:N0} segments per CPU second, corpus generation included)");
Console.WriteLine($"Closing the index       {closing.Elapsed.TotalSeconds:F1} s (the last Lucene commit, the vectors saved to search-vectors/)");
Console.WriteLine($"Index on disk           {(databaseBytes + textIndexBytes + vectorFileBytes) / 1048576.0:F1} MiB: search.db {databaseBytes / 1048576.0:F1} MiB (after WAL checkpoint), Lucene search-text/ {textIndexBytes / 1048576.0:F1} MiB, search-vectors/ {vectorFileBytes / 1048576.0:F1} MiB");
Console.WriteLine($"Load average after build: {File.ReadAllText("/proc/loadavg").Trim()}");

// The measurements run in a new process, so its memory is what a restarted host holds, not what the build left behind.
var child = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
{
    // Started as `dotnet BenchSearch.dll` rather than through its apphost.
    child.ArgumentList.Add(typeof(BenchSettings).Assembly.Location);
}
foreach (var argument in settings.ToArguments().Concat(["--dir", folder, "--reuse"]))
{
    child.ArgumentList.Add(argument);
}
using (var measuring = Process.Start(child)!)
{
    await measuring.WaitForExitAsync();
    if (settings.Directory is null)
    {
        Directory.Delete(folder, recursive: true);
    }
    return measuring.ExitCode;
}

static async Task<int> MeasureAsync(BenchSettings settings, string folder, string database, Guid[] categories)
{
    var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    var index = Open(folder);
    await index.InitializeAsync();
    // InitializeAsync is what the host awaits before it listens (/alive); the vectors load behind it.
    var open = DateTime.UtcNow - started;
    await index.WhenTextLoadedAsync();
    var textReady = DateTime.UtcNow - started;
    await index.WhenVectorsLoadedAsync();
    var ready = DateTime.UtcNow - started;
    var admin = AccessScope.System;
    var user = new AccessScope(Guid.NewGuid(), Roles.User, categories.Take(Math.Max(1, categories.Length * 3 / 10)).ToHashSet());

    var queryRandom = new Random(7);
    var corpus = new SyntheticCorpus(seed: 42, settings.Dimensions);
    var kinds = new (string Name, List<string> Queries)[]
    {
        ("common", Enumerable.Range(0, settings.Queries).Select(_ => corpus.CommonWord(queryRandom)).ToList()),
        ("rare", Enumerable.Range(0, settings.Queries).Select(_ => corpus.RareWord(queryRandom)).ToList()),
        ("multi-word", Enumerable.Range(0, settings.Queries).Select(_ => corpus.MultiWord(queryRandom)).ToList()),
    };
    var embeddings = await QueryEmbeddingsAsync(database, settings.Queries, settings.Dimensions);
    await index.SearchAsync(new SearchRequest(kinds[2].Queries[0], admin, SearchMode.Hybrid, QueryEmbedding: embeddings[0]));
    var firstSearch = DateTime.UtcNow - started;
    GC.Collect();
    GC.WaitForPendingFinalizers();
    var rssAfterLoad = ProcessMemory("VmRSS");

    var rows = new List<(string Name, Latency Wall, Latency Cpu, double MeanTotal)>();
    foreach (var (scopeName, scope) in new[] { ("admin", admin), ("user 3/10", user) })
    {
        foreach (var (kind, queries) in kinds)
        {
            rows.Add(await MeasureRequestsAsync($"text, {kind}, {scopeName}", index,
                i => new SearchRequest(queries[i], scope, SearchMode.Text, Limit: 10), queries.Count, settings.Warmup));
        }
        rows.Add(await MeasureRequestsAsync($"text, common, {scopeName}, as /api/search ranks", index,
            i => new SearchRequest(kinds[0].Queries[i], scope, SearchMode.Text, Limit: 10), kinds[0].Queries.Count, settings.Warmup,
            rankedAsTheEndpointDoes: true));
        rows.Add(await MeasureRequestsAsync($"semantic, {scopeName}", index,
            i => new SearchRequest("", scope, SearchMode.Semantic, Limit: 10, QueryEmbedding: embeddings[i]), embeddings.Count, settings.Warmup));
        foreach (var (kind, queries) in kinds)
        {
            rows.Add(await MeasureRequestsAsync($"hybrid, {kind}, {scopeName}", index,
                i => new SearchRequest(queries[i], scope, SearchMode.Hybrid, Limit: 10, QueryEmbedding: embeddings[i]), queries.Count, settings.Warmup));
        }
        rows.Add(await MeasureRequestsAsync($"hybrid, common, {scopeName}, as /api/search ranks", index,
            i => new SearchRequest(kinds[0].Queries[i], scope, SearchMode.Hybrid, Limit: 10, QueryEmbedding: embeddings[i]),
            kinds[0].Queries.Count, settings.Warmup, rankedAsTheEndpointDoes: true));
    }
    if (settings.ImageDimensions > 0)
    {
        // Pictures searched with (POST /api/search/image): vectors of the image model's space. A picture alone is the
        // image leg by itself; a picture with words adds the text leg, fused as hybrid search is.
        var pictureRandom = new Random(11);
        var pictures = Enumerable.Range(0, settings.Queries).Select(_ => SyntheticCorpus.Uniform(pictureRandom, settings.ImageDimensions)).ToList();
        var words = kinds[2].Queries;
        rows.Add(await MeasureRequestsAsync("picture (image leg), admin", index,
            i => new SearchRequest("", admin, SearchMode.Semantic, Limit: 10, QueryImageEmbedding: pictures[i]), pictures.Count, settings.Warmup));
        rows.Add(await MeasureRequestsAsync("picture + words, user 3/10", index,
            i => new SearchRequest(words[i], user, SearchMode.Hybrid, Limit: 10, QueryImageEmbedding: pictures[i]), pictures.Count, settings.Warmup));
    }
    var rssAfterQueries = ProcessMemory("VmRSS");

    // Recall@10 against exact float32 cosine over every vector the scope may see, and for hybrid against the fusion of
    // that with the exact BM25 ranking of every match: what a search without any shortcut would answer.
    var recallCount = Math.Min(settings.RecallQueries, settings.Queries);
    var recallWatch = Stopwatch.StartNew();
    var truth = ExactSemantic(database, embeddings.Take(recallCount).ToList(), user.CategoryIds, settings.Dimensions);
    var recalls = new List<(string Name, double Recall)>();
    await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
    await connection.OpenAsync();
    foreach (var (scopeName, scope, exact) in new[] { ("admin", admin, truth.Admin), ("user 3/10", user, truth.User) })
    {
        var semantic = new List<double>();
        for (var i = 0; i < recallCount; i++)
        {
            var found = await index.SearchAsync(new SearchRequest("", scope, SearchMode.Semantic, Limit: 10, QueryEmbedding: embeddings[i]));
            semantic.Add(Recall(await IdsAsync(connection, found), exact[i].Take(10).Select(h => h.Id).ToList()));
        }
        recalls.Add(($"semantic, {scopeName}", semantic.Average()));
        foreach (var (kind, queries) in kinds)
        {
            var hybrid = new List<double>();
            for (var i = 0; i < recallCount; i++)
            {
                var found = await index.SearchAsync(new SearchRequest(queries[i], scope, SearchMode.Hybrid, Limit: 10, QueryEmbedding: embeddings[i]));
                var text = ExactText(folder, queries[i], scope.CategoryFilter, 50);
                var fused = HybridFusion.Fuse([new FusionLeg(text, 0.5), new FusionLeg(exact[i], 0.5)], FusionMethod.MinMaxWeightedMean, 60);
                hybrid.Add(Recall(await IdsAsync(connection, found), fused.Take(10).Select(h => h.Id).ToList()));
            }
            recalls.Add(($"hybrid, {kind}, {scopeName}", hybrid.Average()));
        }
    }
    recallWatch.Stop();

    Console.WriteLine($"Start to index open     {open.TotalSeconds:F2} s (process start to InitializeAsync done: the host listens, /alive answers)");
    Console.WriteLine($"Start to text loaded    {textReady.TotalSeconds:F2} s (the Lucene folder checked against search.db; text searches wait for it)");
    Console.WriteLine($"Start to vectors loaded {ready.TotalSeconds:F2} s (/health says ready)");
    Console.WriteLine($"Start to first search   {firstSearch.TotalSeconds:F2} s");
    Console.WriteLine($"Host RSS after load     {rssAfterLoad / 1048576.0:F0} MiB; after the queries {rssAfterQueries / 1048576.0:F0} MiB; peak {ProcessMemory("VmHWM") / 1048576.0:F0} MiB");
    Console.WriteLine($"Vector index memory     {index.VectorMemoryBytes / 1048576.0:F1} MiB held by the index ({index.VectorMemoryBytes / 1048576.0 * 100_000 / settings.Segments:F1} MiB per 100,000 moments)");
    Console.WriteLine();
    Console.WriteLine($"{"Query set (" + settings.Queries + " warm queries, limit 10)",-48} {"p50 ms",7} {"p95 ms",7} {"p99 ms",7} {"max ms",7} {"cpu p50",8} {"cpu p95",8} {"mean total",11}");
    foreach (var (name, wall, cpu, meanTotal) in rows)
    {
        Console.WriteLine($"{name,-48} {wall.P50,7:F1} {wall.P95,7:F1} {wall.P99,7:F1} {wall.Max,7:F1} {cpu.P50,8:F1} {cpu.P95,8:F1} {meanTotal,11:N0}");
    }
    Console.WriteLine();
    Console.WriteLine($"Recall@10 against exact scoring ({recallCount} queries each, {recallWatch.Elapsed.TotalSeconds:F0} s):");
    foreach (var (name, recall) in recalls)
    {
        Console.WriteLine($"  {name,-34} {recall:F3}");
    }
    Console.WriteLine();
    Console.WriteLine("Targets at 1.2M: p95 text (common) <= 100 ms, semantic <= 50 ms, hybrid <= 150 ms; recall@10 >= 0.98; RSS <= 1.5 GB.");
    // Wall-clock latency includes waiting for a core; the CPU time of the searching thread shows the work itself when
    // other jobs share the machine.
    Console.WriteLine($"Load average during the run: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores.");
    index.Dispose();
    return 0;
}

// The vector leg's scan alone, without SQLite: fills a VectorIndex with the corpus's clustered vectors and times the
// search for the candidates the SQLite index rescores, so the scan's cost and memory at 1.2 million can be measured in
// a minute when building the whole index would take many.
static int ScanOnly(BenchSettings settings, Guid[] categories)
{
    var corpus = new SyntheticCorpus(seed: 42, settings.Dimensions);
    var index = new VectorIndex();
    var videos = settings.Segments / settings.SegmentsPerVideo;
    var fill = Stopwatch.StartNew();
    var kept = new List<float[]>();
    for (var v = 0; v < videos; v++)
    {
        var video = Guid.NewGuid();
        for (var i = 0; i < settings.SegmentsPerVideo; i++)
        {
            var vector = corpus.TextVector();
            index.Add(new VectorEntry(v * settings.SegmentsPerVideo + i, video, categories[v % categories.Length], vector));
            if (kept.Count < settings.Queries && (v * 7919 + i) % Math.Max(1, settings.Segments / settings.Queries) == 0)
            {
                kept.Add(vector);
            }
        }
    }
    fill.Stop();
    GC.Collect();
    var random = new Random(9);
    var queries = kept.Select(k => SyntheticCorpus.Near(random, k)).ToList();
    var user = new VectorFilter(categories.Take(3).ToHashSet());
    Console.WriteLine($"Vector scan only: {index.Count:N0} x {settings.Dimensions} int8 codes, filled in {fill.Elapsed.TotalSeconds:F0} s; index memory {index.MemoryBytes / 1048576.0:F0} MiB; RSS {ProcessMemory("VmRSS") / 1048576.0:F0} MiB");
    foreach (var (name, filter) in new[] { ("admin", new VectorFilter(null)), ("user 3/10", user) })
    {
        for (var i = 0; i < settings.Warmup; i++)
        {
            index.Search(queries[i % queries.Count], 200, filter);
        }
        // Process CPU time, not the thread's: the scan runs in one slice per core.
        var process = Process.GetCurrentProcess();
        var cpu = new double[queries.Count];
        var samples = queries.Select((q, i) =>
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            index.Search(q, 200, filter);
            var elapsed = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            return elapsed;
        }).ToArray();
        var wall = Latency.Of(samples);
        var cpus = Latency.Of(cpu);
        Console.WriteLine($"  top 200 by codes, {name,-10} p50 {wall.P50,6:F1} ms  p95 {wall.P95,6:F1} ms  p99 {wall.P99,6:F1} ms  process cpu p50 {cpus.P50,6:F1} ms  p95 {cpus.P95,6:F1} ms");
    }
    Console.WriteLine($"Load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores.");
    return 0;
}

static SqliteSearchIndex Open(string folder) => new(
    Options.Create(new VeekyDataOptions { DataDirectory = folder }),
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

/// <summary>A field of /proc/self/status in bytes (VmRSS: resident now; VmHWM: the peak).</summary>
static long ProcessMemory(string field)
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) * 1024;
}

/// <summary>Query vectors near indexed moments picked at random (the same ones every run), read back from the index.</summary>
static async Task<List<float[]>> QueryEmbeddingsAsync(string database, int count, int dimensions)
{
    await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
    await connection.OpenAsync();
    await using var max = connection.CreateCommand();
    max.CommandText = "SELECT max(segment_id) FROM search_vectors WHERE text_embedding IS NOT NULL";
    var top = Convert.ToInt64(await max.ExecuteScalarAsync());
    var random = new Random(9);
    var result = new List<float[]>();
    await using var select = connection.CreateCommand();
    select.CommandText = "SELECT text_embedding FROM search_vectors WHERE segment_id >= $id AND text_embedding IS NOT NULL ORDER BY segment_id LIMIT 1";
    while (result.Count < count)
    {
        select.Parameters.Clear();
        select.Parameters.AddWithValue("$id", 1 + random.NextInt64(top));
        if (await select.ExecuteScalarAsync() is byte[] blob && blob.Length == dimensions * sizeof(float))
        {
            result.Add(SyntheticCorpus.Near(random, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(blob).ToArray()));
        }
    }
    return result;
}

/// <summary>The exact top 50 by float32 cosine for each query, over all vectors and over the user's categories, in one
/// pass over the stored vectors.</summary>
static (List<ScoredId>[] Admin, List<ScoredId>[] User) ExactSemantic(string database, List<float[]> queries, IReadOnlySet<Guid> userCategories, int dimensions)
{
    const int k = 50;
    var admin = queries.Select(_ => new PriorityQueue<long, float>()).ToArray();
    var user = queries.Select(_ => new PriorityQueue<long, float>()).ToArray();
    var allowed = userCategories.Select(c => c.ToString("D")).ToHashSet();
    using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
    connection.Open();
    using var select = connection.CreateCommand();
    select.CommandText = "SELECT v.segment_id, s.category_id, v.text_embedding FROM search_vectors v JOIN search_segments s ON s.id = v.segment_id WHERE v.text_embedding IS NOT NULL";
    using var reader = select.ExecuteReader();
    var vector = new float[dimensions];
    while (reader.Read())
    {
        var id = reader.GetInt64(0);
        var visible = allowed.Contains(reader.GetString(1));
        var blob = reader.GetFieldValue<byte[]>(2);
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(blob).CopyTo(vector);
        for (var q = 0; q < queries.Count; q++)
        {
            var score = System.Numerics.Tensors.TensorPrimitives.Dot(queries[q], vector);
            Keep(admin[q], id, score);
            if (visible)
            {
                Keep(user[q], id, score);
            }
        }
    }
    return (admin.Select(Sorted).ToArray(), user.Select(Sorted).ToArray());

    static void Keep(PriorityQueue<long, float> best, long id, float score)
    {
        if (best.Count < k)
        {
            best.Enqueue(id, score);
        }
        else if (best.TryPeek(out _, out var weakest) && score > weakest)
        {
            best.DequeueEnqueue(id, score);
        }
    }

    static List<ScoredId> Sorted(PriorityQueue<long, float> best)
    {
        var list = new List<ScoredId>();
        while (best.TryDequeue(out var id, out var score))
        {
            list.Add(new ScoredId(id, score));
        }
        list.Reverse();
        return list;
    }
}

/// <summary>The exact BM25 top <paramref name="k"/> over every match (all words; any word when none has all), as the
/// text index scores them (Lucene ranks every match: this checks the fusion and its candidate counts), higher is better.</summary>
static List<ScoredId> ExactText(string folder, string query, IReadOnlySet<Guid>? categories, int k)
{
    var terms = TextAnalysis.Terms(query);
    using var text = LuceneTextIndex.Open(Path.Combine(folder, "search-text"));
    var searcher = text.Acquire();
    try
    {
        foreach (var occur in new[] { Lucene.Net.Search.Occur.MUST, Lucene.Net.Search.Occur.SHOULD })
        {
            var match = new Lucene.Net.Search.BooleanQuery(true);
            foreach (var term in terms)
            {
                match.Add(new Lucene.Net.Search.TermQuery(LuceneTextIndex.Term(term)), occur);
            }
            var (hits, _) = LuceneTextIndex.Search(searcher, match, new TextFilter(categories), k, 0);
            if (hits.Count > 0 || terms.Count == 1)
            {
                return [.. hits];
            }
        }
        return [];
    }
    finally
    {
        text.Release(searcher);
    }
}

/// <summary>The segment ids of the hits, looked up by video and segment index.</summary>
static async Task<List<long>> IdsAsync(SqliteConnection connection, SearchResult result)
{
    var ids = new List<long>();
    await using var select = connection.CreateCommand();
    select.CommandText = "SELECT id FROM search_segments WHERE video_id = $video AND segment_index = $index";
    foreach (var hit in result.Hits)
    {
        select.Parameters.Clear();
        select.Parameters.AddWithValue("$video", hit.VideoId.ToString("D"));
        select.Parameters.AddWithValue("$index", hit.SegmentIndex);
        ids.Add(Convert.ToInt64(await select.ExecuteScalarAsync()));
    }
    return ids;
}

static double Recall(List<long> found, List<long> exact) =>
    exact.Count == 0 ? 1.0 : (double)found.Intersect(exact).Count() / exact.Count;

static async Task<(string, Latency, Latency, double)> MeasureRequestsAsync(string name, SqliteSearchIndex index,
    Func<int, SearchRequest> request, int count, int warmup, bool rankedAsTheEndpointDoes = false)
{
    // GET /api/search ranks as MomentRanking does (for text: the page of own-word moments and the page of video rows the
    // engine collapses, two engine searches that both complete on this thread): its cost is part of what a person waits for.
    var search = rankedAsTheEndpointDoes
        ? (Func<SearchRequest, Task<SearchResult>>)(r => MomentRanking.SearchAsync(index, r, new SearchOptions().CandidateCount))
        : r => index.SearchAsync(r);
    for (var i = 0; i < warmup; i++)
    {
        await search(request(i % count));
    }
    var samples = new double[count];
    var cpu = new double[count];
    long totals = 0;
    for (var i = 0; i < count; i++)
    {
        // SQLite and Lucene.Net search synchronously, so the search completes on this thread and its CPU clock sees it all.
        var cpuBefore = CpuClock.ThreadMilliseconds();
        var watch = Stopwatch.StartNew();
        var result = await search(request(i));
        samples[i] = watch.Elapsed.TotalMilliseconds;
        cpu[i] = CpuClock.ThreadMilliseconds() - cpuBefore;
        totals += result.Total;
    }
    return (name, Latency.Of(samples), Latency.Of(cpu), (double)totals / count);
}
