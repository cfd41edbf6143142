using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Videos;

namespace Veeky.Tests.Infrastructure;

/// <summary>Creates an empty metadata database of one provider, migrated or not, and seeds rows tests need.</summary>
public static class TestDatabase
{
    public static DatabaseProvider Sqlite(TempFolder folder) =>
        new(DatabaseKind.Sqlite, $"Data Source={folder.File("veeky.db")}");

    public static async Task<DatabaseProvider> PostgresAsync(PostgresServer server) =>
        new(DatabaseKind.Postgres, await server.CreateDatabaseAsync());

    public static SchemaMigrator Migrator(DatabaseProvider provider) => new(provider, provider.CreateContextFactory(), NullLogger<SchemaMigrator>.Instance);

    /// <summary>A category, an editor and a pending video in it; returns the video's id. The video row is written with
    /// the columns schema 2 created only, so tests that upgrade from an older schema can seed with it too: a column a
    /// later schema adds to the model must not break them.</summary>
    public static async Task<Guid> SeedVideoAsync(DatabaseProvider provider, string title = "Sample")
    {
        await using var db = new VeekyDbContext(provider.CreateOptions());
        var now = DateTimeOffset.UtcNow;
        var category = new Category { Id = Guid.NewGuid(), Name = $"Category {Guid.NewGuid():N}", CreatedAt = now };
        var user = new VeekyUser
        {
            Id = Guid.NewGuid(), UserName = $"{Guid.NewGuid():N}@example.com", Email = "editor@example.com",
            Role = Roles.Editor, CreatedAt = now,
        };
        db.AddRange(category, user);
        await db.SaveChangesAsync();

        var videoId = Guid.NewGuid();
        var sqlite = provider.Kind == DatabaseKind.Sqlite;
        // As the EF model stores them per provider: SQLite keeps GUIDs as upper-case text, times as ticks, lists as JSON.
        object Id(Guid id) => sqlite ? id.ToString().ToUpperInvariant() : id;
        object at = sqlite ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(now)! : now;
        object keywords = sqlite ? "[]" : Array.Empty<string>();
        var sha = new string('0', 64);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Videos" ("Id", "Title", "Keywords", "CategoryId", "UploaderId", "Status", "Stage", "Progress",
                "StoragePath", "SizeBytes", "Sha256", "HasAudio", "SegmentCount", "CreatedAt", "UpdatedAt")
            VALUES ({Id(videoId)}, {title}, {keywords}, {Id(category.Id)}, {Id(user.Id)}, {"Pending"}, {"Queued"}, {0.0},
                {"videos/x/original.mp4"}, {0L}, {sha}, {false}, {0}, {at}, {at})
            """);
        return videoId;
    }
}

/// <summary>
/// The storage switch of the API and pipeline test hosts. By default they run on the embedded edition's parts (SQLite,
/// in-process progress and no search cache); with <c>VEEKY_TEST_STORAGE=postgres-redis</c> (scripts/test.sh's second pass)
/// every host gets a fresh database on the run's <see cref="PostgresServer"/> and a <c>redis-server</c> of its own, so the
/// same tests prove the distributed edition. Each host owns its Redis because the channel and cache keys are fixed names:
/// one shared server would let one test's events and cached answers leak into another's.
/// </summary>
public sealed class TestStorage : IAsyncDisposable
{
    public const string Variable = "VEEKY_TEST_STORAGE";
    public const string PostgresRedisValue = "postgres-redis";

    /// <summary>A data folder's database, so a host started again on the folder (a restart) finds its rows.</summary>
    private static readonly ConcurrentDictionary<string, string> Databases = new(StringComparer.Ordinal);

    private readonly RedisServer? _redis;

    private TestStorage(RedisServer? redis) => _redis = redis;

    public static bool IsPostgresRedis =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), PostgresRedisValue, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Under the switch, adds <c>ConnectionStrings:veeky</c> and <c>ConnectionStrings:redis</c> to
    /// <paramref name="settings"/> unless the caller chose them already; returns what the host must dispose (null when
    /// the switch is off). Synchronous for the factories' constructors: the work runs on the thread pool, free of any
    /// synchronization context.
    /// </summary>
    public static TestStorage? Apply(string dataDirectory, IDictionary<string, string?> settings)
    {
        if (!IsPostgresRedis)
        {
            return null;
        }
        return Task.Run(() => ApplyAsync(dataDirectory, settings)).GetAwaiter().GetResult();
    }

    private static async Task<TestStorage> ApplyAsync(string dataDirectory, IDictionary<string, string?> settings)
    {
        if (!settings.ContainsKey("ConnectionStrings:veeky"))
        {
            var server = PostgresServer.Shared
                ?? throw new InvalidOperationException($"{Variable}={PostgresRedisValue} needs the assembly's PostgresServer fixture started.");
            var key = Path.GetFullPath(dataDirectory);
            if (!Databases.TryGetValue(key, out var database))
            {
                database = Databases.GetOrAdd(key, await server.CreateDatabaseAsync());
            }
            settings["ConnectionStrings:veeky"] = database;
        }
        RedisServer? redis = null;
        if (!settings.ContainsKey("ConnectionStrings:redis"))
        {
            redis = await RedisServer.StartAsync();
            settings["ConnectionStrings:redis"] = redis.ConnectionString;
        }
        return new TestStorage(redis);
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
