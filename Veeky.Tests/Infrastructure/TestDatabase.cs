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

    public static SchemaMigrator Migrator(DatabaseProvider provider) => new(provider, NullLogger<SchemaMigrator>.Instance);

    /// <summary>A category, an editor and a pending video in it; returns the video's id.</summary>
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
        var video = new Video
        {
            Id = Guid.NewGuid(), Title = title, CategoryId = category.Id, UploaderId = user.Id,
            StoragePath = "videos/x/original.mp4", Sha256 = new string('0', 64), CreatedAt = now, UpdatedAt = now,
        };
        db.AddRange(category, user, video);
        await db.SaveChangesAsync();
        return video.Id;
    }
}
