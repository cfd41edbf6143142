using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Bench;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Jobs;
using Veeky.Videos;

// Job queue benchmark: N workers drain a queue of empty jobs (claim + complete, no pipeline) on PostgreSQL and the
// run reports jobs per second and the claim latency. Options: --jobs N (per run, default 2000), --workers 1,2,4,
// --connection "<Npgsql string of an empty database>" (default: a throwaway local server, one database per run).
var jobs = 2000;
int[] workerCounts = [1, 2, 4];
string? connection = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--jobs": jobs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--workers": workerCounts = args[++i].Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--connection": connection = args[++i]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}");
    }
}

await using var server = connection is null ? await LocalPostgres.StartAsync() : null;
Console.WriteLine($"Job queue on PostgreSQL, {jobs} empty jobs per run (claim + complete), {Environment.ProcessorCount} cores");
Console.WriteLine("workers  jobs/s   claim p50 ms  claim p95 ms  claim p99 ms  claim max ms");
// A first, unreported round JIT-compiles EF Core's queries and the Npgsql paths, which the first measured round paid.
foreach (var (workers, report) in workerCounts.Select(w => (w, true)).Prepend((1, false)))
{
    var provider = new DatabaseProvider(DatabaseKind.Postgres, connection ?? await server!.CreateDatabaseAsync());
    await new SchemaMigrator(provider, provider.CreateContextFactory(), NullLogger<SchemaMigrator>.Instance).MigrateAsync();
    if (connection is not null)
    {
        await using var db = new VeekyDbContext(provider.CreateOptions());
        db.Jobs.RemoveRange(db.Jobs);
        await db.SaveChangesAsync();
    }
    await SeedAsync(provider, jobs);
    var queue = new SqlJobQueue(provider.CreateContextFactory(), TimeProvider.System);
    var lease = TimeSpan.FromMinutes(2);
    // Warm the connection pool and EF's model so the first claims do not measure start-up.
    await using (var warm = new VeekyDbContext(provider.CreateOptions()))
    {
        _ = warm.Model;
    }

    var latencies = new ConcurrentBag<double>();
    var completed = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
    {
        var workerId = $"bench/{w}";
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var job = await queue.TryClaimAsync(workerId, lease);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (job is null)
            {
                return;
            }
            await queue.CompleteAsync(job.Id, workerId);
            Interlocked.Increment(ref completed);
        }
    })));
    clock.Stop();
    if (completed != jobs)
    {
        throw new InvalidOperationException($"{completed} jobs completed, {jobs} queued: the queue lost or repeated jobs.");
    }
    if (!report)
    {
        continue;
    }
    var latency = Latency.Of(latencies);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{workers,7}  {jobs / clock.Elapsed.TotalSeconds,7:F0}  {latency.P50,12:F2}  {latency.P95,12:F2}  {latency.P99,12:F2}  {latency.Max,12:F2}"));
}

// One category and uploader; a video per job, since a job belongs to a video.
static async Task SeedAsync(DatabaseProvider provider, int count)
{
    await using var db = new VeekyDbContext(provider.CreateOptions());
    var now = DateTimeOffset.UtcNow;
    var category = new Category { Id = Guid.NewGuid(), Name = $"Bench {Guid.NewGuid():N}", CreatedAt = now };
    var user = new VeekyUser { Id = Guid.NewGuid(), UserName = $"{Guid.NewGuid():N}@bench", Role = Roles.Editor, CreatedAt = now };
    db.AddRange(category, user);
    for (var i = 0; i < count; i++)
    {
        var video = new Video
        {
            Id = Guid.CreateVersion7(), Title = $"Bench {i}", CategoryId = category.Id, UploaderId = user.Id,
            StoragePath = "videos/bench/original.mp4", Sha256 = new string('0', 64), CreatedAt = now, UpdatedAt = now,
        };
        db.Videos.Add(video);
        db.Jobs.Add(new IndexingJob { Id = Guid.CreateVersion7(), VideoId = video.Id, RunAfter = now.AddSeconds(-1), CreatedAt = now, UpdatedAt = now });
    }
    await db.SaveChangesAsync();
}
