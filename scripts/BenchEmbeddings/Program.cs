using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Jobs;
using Veeky.Videos;

// Stored embeddings on SQLite: storage per vector, the rebuild's read of every segment with and without vectors, and a
// stage save with and without the lease check. Numbers are medians of a few rounds after one unreported warm-up round.
var videos = 200;
var segmentsPerVideo = 50;
var dimensions = 384;
var saves = 300;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--videos": videos = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--segments": segmentsPerVideo = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--dimensions": dimensions = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--saves": saves = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"Unknown option {args[i]}");
    }
}

var folder = Directory.CreateTempSubdirectory("veeky-bench-embeddings");
try
{
    var path = Path.Combine(folder.FullName, "veeky.db");
    var provider = new DatabaseProvider(DatabaseKind.Sqlite, $"Data Source={path}");
    await new SchemaMigrator(provider, provider.CreateContextFactory(), NullLogger<SchemaMigrator>.Instance).MigrateAsync();
    var random = new Random(7);
    float[] Vector() => Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    var sample = Vector();
    var blob = VectorBytes.ToBytes(sample).Length;
    var json = JsonSerializer.SerializeToUtf8Bytes(sample).Length;
    Console.WriteLine($"{dimensions}-dimension vector: {blob} bytes as float32 LE, {json} bytes as JSON text ({(double)json / blob:F1}x)");

    var (jobId, videoId) = await SeedAsync(provider, videos, segmentsPerVideo, Vector);
    var total = videos * segmentsPerVideo;
    Console.WriteLine($"{videos} videos x {segmentsPerVideo} segments = {total} segments, text + image vector each; "
        + $"veeky.db file {new FileInfo(path).Length / 1024.0 / 1024.0:F1} MiB");

    var withVectors = await MedianAsync(4, async () =>
    {
        await using var db = new VeekyDbContext(provider.CreateOptions());
        var read = await db.Videos.AsNoTracking().Include(v => v.Segments).AsSplitQuery().ToListAsync();
        return read.Sum(v => v.Segments.Count);
    });
    var withoutVectors = await MedianAsync(4, async () =>
    {
        await using var db = new VeekyDbContext(provider.CreateOptions());
        var read = await db.Segments.AsNoTracking().Select(s => new { s.VideoId, s.Index, s.Start, s.End, s.Transcript, s.OcrText, s.Caption, s.Keywords }).ToListAsync();
        return read.Count;
    });
    Console.WriteLine($"rebuild read of all segments: {withVectors:F0} ms with vectors, {withoutVectors:F0} ms without "
        + $"({withVectors / withoutVectors:F1}x; {total / withVectors * 1000:F0} segments/s with vectors)");

    var lease = new JobLease(jobId, "bench");
    var plain = await PerSaveAsync(provider, videoId, saves, null);
    var leased = await PerSaveAsync(provider, videoId, saves, lease);
    Console.WriteLine($"stage save of one segment: {plain:F2} ms plain, {leased:F2} ms in a transaction with the lease check "
        + $"(+{leased - plain:F2} ms per save), median of {saves}");
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    folder.Delete(recursive: true);
}

static async Task<(Guid JobId, Guid VideoId)> SeedAsync(DatabaseProvider provider, int videos, int segments, Func<float[]> vector)
{
    var now = DateTimeOffset.UtcNow;
    await using var db = new VeekyDbContext(provider.CreateOptions());
    var category = new Category { Id = Guid.NewGuid(), Name = "Bench", CreatedAt = now, ImageEmbeddingModel = "clip" };
    var user = new VeekyUser { Id = Guid.NewGuid(), UserName = "bench@example.com", Role = Roles.Editor, CreatedAt = now };
    db.AddRange(category, user);
    Guid first = Guid.Empty;
    for (var v = 0; v < videos; v++)
    {
        var video = new Video
        {
            Id = Guid.CreateVersion7(), Title = $"Video {v}", CategoryId = category.Id, UploaderId = user.Id, Status = VideoStatus.Completed,
            StoragePath = "videos/x/original.mp4", Sha256 = new string('0', 64), CreatedAt = now, UpdatedAt = now,
        };
        for (var s = 0; s < segments; s++)
        {
            video.Segments.Add(new Segment
            {
                VideoId = video.Id, Index = s, Start = s * 5, End = s * 5 + 5, Transcript = $"some words said in segment {s} of video {v}",
                TextEmbedding = vector(), TextEmbeddingModel = "all-minilm", ImageEmbedding = vector(), ImageEmbeddingModel = "clip",
            });
        }
        db.Videos.Add(video);
        if (v == 0) first = video.Id;
    }
    var job = new IndexingJob
    {
        Id = Guid.CreateVersion7(), VideoId = first, Status = JobStatus.Running, LeaseOwner = "bench",
        LeaseExpiresAt = now.AddHours(1), RunAfter = now, CreatedAt = now, UpdatedAt = now,
    };
    db.Jobs.Add(job);
    await db.SaveChangesAsync();
    return (job.Id, first);
}

static async Task<double> MedianAsync(int rounds, Func<Task<int>> work)
{
    await work();
    var times = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await work();
        times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    return times.Order().ElementAt(times.Count / 2);
}

static async Task<double> PerSaveAsync(DatabaseProvider provider, Guid videoId, int saves, JobLease? lease)
{
    var times = new List<double>();
    for (var i = -10; i < saves; i++)
    {
        await using var db = new VeekyDbContext(provider.CreateOptions());
        var segment = await db.Segments.FirstAsync(s => s.VideoId == videoId && s.Index == 0);
        segment.OcrText = $"text {i}";
        var started = Stopwatch.GetTimestamp();
        if (lease is null)
        {
            await db.SaveChangesAsync();
        }
        else
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.ConfirmLeaseAsync(lease, default);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }
        if (i >= 0) times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
    return times.Order().ElementAt(times.Count / 2);
}
