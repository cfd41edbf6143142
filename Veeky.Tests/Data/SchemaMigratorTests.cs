using Microsoft.EntityFrameworkCore;
using Veeky.Data;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Data;

/// <summary>The hand-written schema scripts, run against each provider.</summary>
public abstract class SchemaMigratorTests
{
    protected abstract Task<DatabaseProvider> CreateDatabaseAsync();

    [Fact]
    public async Task Migrated_database_has_every_table_and_column_the_model_maps()
    {
        var provider = await CreateDatabaseAsync();
        await TestDatabase.Migrator(provider).MigrateAsync(TestContext.Current.CancellationToken);

        await using var db = new VeekyDbContext(provider.CreateOptions());
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var missing = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null) continue;
            foreach (var property in entity.GetProperties())
            {
                var column = property.GetColumnName();
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT \"{column}\" FROM \"{table}\" WHERE 1 = 0";
                try
                {
                    await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
                }
                catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or Npgsql.PostgresException)
                {
                    missing.Add($"{table}.{column}");
                }
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Migrating_again_applies_nothing_and_keeps_the_data()
    {
        var provider = await CreateDatabaseAsync();
        var migrator = TestDatabase.Migrator(provider);
        await migrator.MigrateAsync(TestContext.Current.CancellationToken);
        var videoId = await TestDatabase.SeedVideoAsync(provider, "Kept");

        await TestDatabase.Migrator(provider).MigrateAsync(TestContext.Current.CancellationToken);

        await using var db = new VeekyDbContext(provider.CreateOptions());
        Assert.Equal("Kept", (await db.Videos.SingleAsync(v => v.Id == videoId, TestContext.Current.CancellationToken)).Title);
        Assert.Equal(migrator.Scripts.Count, await db.Database
            .SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM __veeky_schema")
            .SingleAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Upgrade_from_the_first_schema_keeps_users_and_categories()
    {
        var provider = await CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        await TestDatabase.Migrator(provider).MigrateAsync(1, ct);
        var categoryId = Guid.NewGuid();
        await using (var db = new VeekyDbContext(provider.CreateOptions()))
        {
            db.Categories.Add(new Category { Id = categoryId, Name = "Lectures", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct);
        }

        await TestDatabase.Migrator(provider).MigrateAsync(ct);

        await using (var db = new VeekyDbContext(provider.CreateOptions()))
        {
            Assert.Equal("Lectures", (await db.Categories.SingleAsync(c => c.Id == categoryId, ct)).Name);
            Assert.Equal(0, await db.Videos.CountAsync(ct));
        }
    }

    [Fact]
    public async Task Upgrade_to_schema_5_keeps_segments_with_empty_embeddings_then_stores_them_as_float32_little_endian()
    {
        var provider = await CreateDatabaseAsync();
        var ct = TestContext.Current.CancellationToken;
        await TestDatabase.Migrator(provider).MigrateAsync(4, ct);
        var videoId = await TestDatabase.SeedVideoAsync(provider, "Before schema 5");
        var sqlite = provider.Kind == DatabaseKind.Sqlite;
        await using (var db = new VeekyDbContext(provider.CreateOptions()))
        {
            // Written as schema 4 knew segments: the model already maps columns that do not exist yet.
            object id = sqlite ? videoId.ToString().ToUpperInvariant() : videoId;
            object keywords = sqlite ? "[\"harbour\"]" : new[] { "harbour" };
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO "Segments" ("VideoId", "Index", "Start", "End", "Transcript", "Keywords") VALUES ({id}, 0, 0, 4, {"kept words"}, {keywords})""", ct);
        }

        await TestDatabase.Migrator(provider).MigrateAsync(ct);

        await using (var db = new VeekyDbContext(provider.CreateOptions()))
        {
            var segment = await db.Segments.SingleAsync(s => s.VideoId == videoId, ct);
            Assert.Equal("kept words", segment.Transcript);
            Assert.Equal(["harbour"], segment.Keywords);
            Assert.Null(segment.TextEmbedding);
            Assert.Null(segment.TextEmbeddingModel);
            Assert.Null(segment.ImageEmbedding);
            Assert.Null(segment.ImageEmbeddingModel);
            segment.TextEmbedding = [1.5f, -2f, 0.25f];
            segment.TextEmbeddingModel = "all-minilm";
            await db.SaveChangesAsync(ct);
        }
        await using (var db = new VeekyDbContext(provider.CreateOptions()))
        {
            var stored = await db.Database.SqlQuery<byte[]>($"""SELECT "TextEmbedding" AS "Value" FROM "Segments" """).SingleAsync(ct);
            Assert.Equal([0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x80, 0x3E], stored);
            var segment = await db.Segments.AsNoTracking().SingleAsync(s => s.VideoId == videoId, ct);
            Assert.Equal([1.5f, -2f, 0.25f], segment.TextEmbedding!);
            Assert.Equal("all-minilm", segment.TextEmbeddingModel);
            Assert.Null(segment.ImageEmbedding);
        }
    }

    [Fact]
    public void Every_provider_has_the_same_schema_versions()
    {
        var sqlite = TestDatabase.Migrator(new DatabaseProvider(DatabaseKind.Sqlite, "Data Source=:memory:")).Scripts;
        var postgres = TestDatabase.Migrator(new DatabaseProvider(DatabaseKind.Postgres, "Host=localhost")).Scripts;
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite.Select(s => s.Name), postgres.Select(s => s.Name));
    }
}

public sealed class SqliteSchemaMigratorTests : SchemaMigratorTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override Task<DatabaseProvider> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite(_folder));

    public void Dispose() => _folder.Dispose();
}

public sealed class PostgresSchemaMigratorTests(PostgresServer server) : SchemaMigratorTests
{
    protected override Task<DatabaseProvider> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);
}
