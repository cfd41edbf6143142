using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Veeky.Bench;
using Veeky.Data;
using Veeky.Progress;
using Veeky.Redis;
using Veeky.Videos;

// Redis progress fan-out, end to end: two API replicas on one PostgreSQL database and one redis-server; an "indexer"
// publishes progress events through its own RedisProgressBroadcaster; an SSE client reads GET /api/videos/{id}/events
// from the OTHER replica. Reported: publish -> event parsed by the client, p50/p95/p99/max, sequential (one event in
// flight, the latency a watcher sees) and paced (a steady rate, events overlapping).
// Options: --events N (default 1000 per mode), --rate R (paced events per second, default 200),
// --connection "<Npgsql string of an empty database>", --redis host:port (defaults: throwaway local servers).
var events = 1000;
var rate = 200;
string? connection = null;
string? redisAddress = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--events": events = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--rate": rate = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--connection": connection = args[++i]; break;
        case "--redis": redisAddress = args[++i]; break;
        default: throw new ArgumentException($"Unknown option {args[i]}");
    }
}

await using var postgres = connection is null ? await LocalPostgres.StartAsync() : null;
await using var redis = redisAddress is null ? await LocalRedis.StartAsync() : null;
var data = Directory.CreateTempSubdirectory("veeky-bench-fanout-").FullName;
const string email = "bench@veeky.local", password = "Bench-Passw0rd!";
var settings = new Dictionary<string, string?>
{
    ["ConnectionStrings:veeky"] = connection ?? await postgres!.CreateDatabaseAsync(),
    ["ConnectionStrings:redis"] = redisAddress ?? redis!.ConnectionString,
    ["Veeky:DataDirectory"] = data,
    ["Veeky:BootstrapAdmin:Email"] = email,
    ["Veeky:BootstrapAdmin:Password"] = password,
    ["Logging:LogLevel:Default"] = "Warning",
};
// One after the other: the first migrates the schema and creates the admin, as the first replica to start would.
await using var replicaA = await ApiReplica.StartAsync(settings);
await using var replicaB = await ApiReplica.StartAsync(settings);

using var http = new HttpClient { BaseAddress = replicaB.Url, Timeout = Timeout.InfiniteTimeSpan };
var login = await http.PostAsJsonAsync("/api/auth/login", new { email, password });
login.EnsureSuccessStatusCode();
var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
var adminId = (await http.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("id").GetGuid();

// A video being indexed, written as an upload would leave it (in the past, so every live event is newer).
var provider = new DatabaseProvider(DatabaseKind.Postgres, settings["ConnectionStrings:veeky"]!);
var videoId = Guid.CreateVersion7();
var categoryId = Guid.NewGuid();
await using (var db = new VeekyDbContext(provider.CreateOptions()))
{
    var past = DateTimeOffset.UtcNow.AddHours(-1);
    db.Categories.Add(new Category { Id = categoryId, Name = "Bench", CreatedAt = past });
    db.Videos.Add(new Video
    {
        Id = videoId, Title = "Fan-out", CategoryId = categoryId, UploaderId = adminId, Status = VideoStatus.Processing,
        StoragePath = $"videos/{videoId:N}/original.mp4", Sha256 = new string('0', 64), CreatedAt = past, UpdatedAt = past,
    });
    await db.SaveChangesAsync();
}

// The indexer's side: its own multiplexer and broadcaster, as Veeky.Indexer holds them.
await using var indexerRedis = await ConnectionMultiplexer.ConnectAsync(
    RedisConnectionDefaults.Apply(ConfigurationOptions.Parse(settings["ConnectionStrings:redis"]!)));
var indexer = new RedisProgressBroadcaster(indexerRedis, NullLogger<RedisProgressBroadcaster>.Instance);

// The SSE client on replica B: every event's sequence number (carried in the error field) and when it was parsed.
var received = Channel.CreateUnbounded<(int Sequence, long At)>();
using var stop = new CancellationTokenSource();
using var response = await http.GetAsync($"/api/videos/{videoId}/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
response.EnsureSuccessStatusCode();
var reader = Task.Run(async () =>
{
    using var body = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
    while (await body.ReadLineAsync(stop.Token) is { } line)
    {
        if (line.StartsWith("data:", StringComparison.Ordinal))
        {
            var at = Stopwatch.GetTimestamp();
            var json = JsonDocument.Parse(line.AsMemory(5));
            if (json.RootElement.GetProperty("error").GetString() is { } error && error.StartsWith("seq ", StringComparison.Ordinal))
            {
                await received.Writer.WriteAsync((int.Parse(error.AsSpan(4), CultureInfo.InvariantCulture), at), stop.Token);
            }
        }
    }
});

var sequence = 0;
VideoProgressEvent Next() =>
    new(videoId, categoryId, VideoStatus.Processing, VideoStage.Transcribing, 0.5, $"seq {sequence++}", DateTimeOffset.UtcNow);

async Task<(int Sequence, long At)> ReceiveAsync()
{
    using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
    return await received.Reader.ReadAsync(patience.Token);
}

// Warm-up (unreported): JIT, connection pools, the subscription of replica B.
for (var i = 0; i < 100; i++)
{
    var first = sequence;
    await indexer.PublishAsync(Next());
    while ((await ReceiveAsync()).Sequence < first) { }
}

Console.WriteLine($"Progress fan-out: indexer -> Redis -> replica B -> SSE client, {events} events per mode, {Environment.ProcessorCount} cores");
Console.WriteLine("mode        received  p50 ms  p95 ms  p99 ms  max ms");

// Sequential: one event in flight.
var sequential = new List<double>(events);
for (var i = 0; i < events; i++)
{
    var expected = sequence;
    var sent = Stopwatch.GetTimestamp();
    await indexer.PublishAsync(Next());
    var (got, at) = await ReceiveAsync();
    if (got != expected) throw new InvalidOperationException($"Expected event {expected}, got {got}.");
    sequential.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
}
Report("sequential", events, sequential);

// Paced: a steady stream from many stages, events overlapping in flight.
var sentAt = new Dictionary<int, long>();
var pacedStart = sequence;
var interval = TimeSpan.FromSeconds(1.0 / rate);
var collecting = Task.Run(async () =>
{
    var latencies = new List<double>(events);
    try
    {
        while (latencies.Count < events)
        {
            var (got, at) = await ReceiveAsync();
            long sent;
            lock (sentAt) sent = sentAt[got];
            latencies.Add(Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds);
        }
    }
    catch (OperationCanceledException)
    {
        // Fewer than sent: the SSE subscriber's buffer drops the oldest events of a burst by design.
    }
    return latencies;
});
var clock = Stopwatch.StartNew();
for (var i = 0; i < events; i++)
{
    var due = interval * i;
    if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed);
    lock (sentAt) sentAt[pacedStart + i] = Stopwatch.GetTimestamp();
    await indexer.PublishAsync(Next());
}
Report($"paced {rate}/s", events, await collecting);

await stop.CancelAsync();
try { await reader; } catch (OperationCanceledException) { } catch (IOException) { }
try { Directory.Delete(data, recursive: true); } catch (IOException) { }

static void Report(string mode, int sent, IReadOnlyCollection<double> samples)
{
    var l = Latency.Of(samples);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{mode,-11} {samples.Count,4}/{sent,-4} {l.P50,6:F2}  {l.P95,6:F2}  {l.P99,6:F2}  {l.Max,6:F2}"));
}
