using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Identity;
using Veeky.Media;
using Veeky.Search;
using Veeky.Videos;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// One API host shared by the API tests, with a cast for every role: an admin, two editors and a reader of the
/// <see cref="Visible"/> category, and an <see cref="Outsider"/> with no category. Videos of the <see cref="Hidden"/>
/// category exist only for the admin. Uploads are limited to <see cref="MaxUploadBytes"/> so the limit is cheap to test.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const long MaxUploadBytes = 256 * 1024;
    public const string Password = "Test-Passw0rd!";

    public ApiFactory Factory { get; } = new(settings: new Dictionary<string, string?>
    {
        ["Veeky:Upload:MaxBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public Guid Visible { get; private set; }
    public Guid Hidden { get; private set; }

    public Actor Admin { get; private set; } = null!;
    public Actor Editor { get; private set; } = null!;
    public Actor OtherEditor { get; private set; } = null!;
    public Actor Reader { get; private set; } = null!;
    public Actor Outsider { get; private set; } = null!;

    public static JsonSerializerOptions Json { get; } = CreateJson();

    public async ValueTask InitializeAsync()
    {
        var adminClient = await SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        Admin = new Actor(await MeAsync(adminClient), Roles.Admin, adminClient);
        Visible = await CreateCategoryAsync("Visible");
        Hidden = await CreateCategoryAsync("Hidden");
        Editor = await CreateUserAsync("editor@test.local", Roles.Editor, Visible);
        OtherEditor = await CreateUserAsync("other-editor@test.local", Roles.Editor, Visible);
        Reader = await CreateUserAsync("reader@test.local", Roles.User, Visible);
        Outsider = await CreateUserAsync("outsider@test.local", Roles.User);
    }

    public HttpClient Anonymous() => Factory.CreateClient();

    public async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = Factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    public async Task<Guid> CreateCategoryAsync(string name)
    {
        var response = await Admin.Client.PostAsJsonAsync("/api/categories", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<Actor> CreateUserAsync(string email, string role, params Guid[] categoryIds)
    {
        var response = await Admin.Client.PostAsJsonAsync("/api/users", new { email, password = Password, role, categoryIds });
        response.EnsureSuccessStatusCode();
        var client = await SignInAsync(email, Password);
        return new Actor(await MeAsync(client), role, client);
    }

    /// <summary>A video put straight into the database and media folder, as the indexer would leave it: an original
    /// file of known bytes, a thumbnail, and <paramref name="segments"/> segments with keyframes.</summary>
    public async Task<SeededVideo> SeedVideoAsync(Guid categoryId, Guid uploaderId, string title = "Seeded video",
        VideoStatus status = VideoStatus.Completed, int segments = 2)
    {
        var store = Factory.Services.GetRequiredService<IMediaStore>();
        var id = Guid.CreateVersion7();
        var original = new byte[4096];
        Random.Shared.NextBytes(original);
        var storagePath = store.OriginalPath(id, ".mp4");
        await WriteAsync(store, storagePath, original);
        await WriteAsync(store, store.ThumbnailPath(id), [0xFF, 0xD8, 0xFF, 0xD9]);
        var now = DateTimeOffset.UtcNow;
        var video = new Video
        {
            Id = id,
            Title = title,
            Keywords = ["seeded"],
            CategoryId = categoryId,
            UploaderId = uploaderId,
            Status = status,
            Stage = status == VideoStatus.Completed ? VideoStage.Done : VideoStage.Queued,
            Progress = status == VideoStatus.Completed ? 1 : 0,
            StoragePath = storagePath,
            ContentType = "video/mp4",
            SizeBytes = original.Length,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original)),
            DurationSeconds = 10,
            Width = 160,
            Height = 120,
            SegmentCount = segments,
            CreatedAt = now,
            UpdatedAt = now,
        };
        for (var i = 0; i < segments; i++)
        {
            var keyframe = store.KeyframePath(id, i);
            await WriteAsync(store, keyframe, [0xFF, 0xD8, (byte)i, 0xFF, 0xD9]);
            video.Segments.Add(new Segment { VideoId = id, Index = i, Start = i * 5, End = i * 5 + 5, Transcript = $"spoken words {i}", KeyframePath = keyframe });
        }
        await using var db = Factory.CreateDbContext();
        db.Videos.Add(video);
        await db.SaveChangesAsync();
        // Indexed too, so search tests see the video as the indexer would have left it.
        await Factory.Services.GetRequiredService<ISearchIndex>().ReplaceVideoAsync(
            new VideoDocument(id, categoryId, title, null, video.Keywords, null, now),
            video.Segments.Select(s => new SegmentDocument(id, s.Index, s.Start, s.End, s.Transcript, null, null, [])).ToList());
        return new SeededVideo(id, categoryId, original);
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();

    private static async Task WriteAsync(IMediaStore store, string relativePath, byte[] content)
    {
        var full = store.GetFullPath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, content);
    }

    private static async Task<Guid> MeAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("id").GetGuid();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        return options;
    }
}

/// <summary>A signed-in user of one role.</summary>
public sealed record Actor(Guid Id, string Role, HttpClient Client);

/// <summary>A video created by <see cref="ApiFixture.SeedVideoAsync"/> and the bytes of its original file.</summary>
public sealed record SeededVideo(Guid Id, Guid CategoryId, byte[] Original);

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "Api";
}
