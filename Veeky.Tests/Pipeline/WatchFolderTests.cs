using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Api.Import;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>The watch folder (<c>Veeky:Import:Folder</c>) of an API host, polled five times a second with a one-second
/// settle time so the tests need not wait long.</summary>
public sealed class WatchFolderTests : IAsyncLifetime
{
    private static readonly Lazy<Task<byte[]>> TinyMp4 = new(GenerateTinyMp4Async);
    private readonly TempFolder _watched = new("veeky-watch");
    private readonly ApiLogSink _log = new();
    private LoggingApiFactory _api = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string?> Settings(string? folder = null) => new()
    {
        ["Veeky:Import:Folder"] = folder ?? _watched.Path,
        ["Veeky:Import:SettleSeconds"] = "1",
        ["Veeky:Import:PollInterval"] = "00:00:00.200",
    };

    public async ValueTask InitializeAsync()
    {
        _api = new LoggingApiFactory(_log, Settings());
        using var admin = await _api.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await ApiFactory.CreateAsync(admin, "/api/categories", new { name = "Lectures" });
    }

    [Fact]
    public async Task A_settled_file_is_imported_once_into_its_folders_category_as_the_first_admin_and_moved_to_imported()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        var bytes = await TinyMp4.Value;
        var folder = Directory.CreateDirectory(Path.Combine(_watched.Path, "Lectures")).FullName;

        await File.WriteAllBytesAsync(Path.Combine(folder, "Week 1 intro.mp4"), bytes, Ct);
        var moved = Path.Combine(folder, WatchFolderImporter.ImportedFolder, "Week 1 intro.mp4");
        await WaitUntilAsync(() => File.Exists(moved));

        await using var db = _api.CreateDbContext();
        var video = await db.Videos.SingleAsync(Ct);
        var admin = await db.Users.SingleAsync(u => u.Email == ApiFactory.AdminEmail, Ct);
        Assert.Equal("Week 1 intro", video.Title);
        Assert.Equal("Lectures", (await db.Categories.SingleAsync(c => c.Id == video.CategoryId, Ct)).Name);
        Assert.Equal(admin.Id, video.UploaderId);
        Assert.Equal(bytes.Length, video.SizeBytes);
        Assert.Equal($"videos/{video.Id:N}/original.mp4", video.StoragePath);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_api.MediaDirectory, video.StoragePath), Ct));
        Assert.Equal(1, await db.Jobs.CountAsync(j => j.VideoId == video.Id, Ct));
        Assert.Empty(Directory.GetFiles(folder));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(moved, Ct));
    }

    [Fact]
    public async Task A_file_that_is_not_a_video_moves_to_failed_beside_an_error_text_saying_why()
    {
        Requires.Tools("ffprobe");
        var folder = Directory.CreateDirectory(Path.Combine(_watched.Path, "Lectures")).FullName;

        await File.WriteAllTextAsync(Path.Combine(folder, "notes.mp4"), "Minutes of the meeting, not a video.\n", Ct);
        var failed = Path.Combine(folder, WatchFolderImporter.FailedFolder);
        await WaitUntilAsync(() => File.Exists(Path.Combine(failed, "notes.mp4.error.txt")));

        Assert.True(File.Exists(Path.Combine(failed, "notes.mp4")));
        Assert.Contains("not a video that can be read", await File.ReadAllTextAsync(Path.Combine(failed, "notes.mp4.error.txt"), Ct));
        Assert.Empty(Directory.GetFiles(folder));
        await using var db = _api.CreateDbContext();
        Assert.Equal(0, await db.Videos.CountAsync(Ct));
        Assert.Empty(_api.MediaFiles());
    }

    [Fact]
    public async Task A_folder_that_names_no_category_is_reported_once_and_its_files_left_alone()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        var stray = Path.Combine(Directory.CreateDirectory(Path.Combine(_watched.Path, "Holiday")).FullName, "beach.mp4");
        await File.WriteAllBytesAsync(stray, await TinyMp4.Value, Ct);
        await WaitUntilAsync(() => _log.Messages.Any(m => m.Contains("Holiday", StringComparison.Ordinal)));

        // A file imported afterwards proves more looks at the folder went by.
        var lectures = Directory.CreateDirectory(Path.Combine(_watched.Path, "Lectures")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(lectures, "later.mp4"), await TinyMp4.Value, Ct);
        await WaitUntilAsync(() => File.Exists(Path.Combine(lectures, WatchFolderImporter.ImportedFolder, "later.mp4")));

        Assert.Single(_log.Messages, m => m.Contains("names no category", StringComparison.Ordinal));
        Assert.True(File.Exists(stray));
        await using var db = _api.CreateDbContext();
        Assert.Equal(["later"], await db.Videos.Select(v => v.Title).ToListAsync(Ct));
    }

    [Fact]
    public async Task Two_importers_on_one_folder_and_database_import_each_file_only_once()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        // A second API host on the same data (database and media) and the same folder: a replica.
        await using var replica = new ApiFactory(_api.DataDirectory, Settings());
        using var _ = replica.CreateClient();
        var folder = Directory.CreateDirectory(Path.Combine(_watched.Path, "Lectures")).FullName;

        var names = new[] { "one", "two", "three" };
        foreach (var name in names)
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, name + ".mp4"), await TinyMp4.Value, Ct);
        }
        await WaitUntilAsync(() => names.All(n => File.Exists(Path.Combine(folder, WatchFolderImporter.ImportedFolder, n + ".mp4"))));

        await using var db = _api.CreateDbContext();
        Assert.Equal(names.Order(), (await db.Videos.Select(v => v.Title).ToListAsync(Ct)).Order());
        Assert.Single(await db.ImporterLeases.ToListAsync(Ct));
    }

    [Fact]
    public void A_missing_watch_folder_stops_the_host_with_a_sentence_naming_the_setting()
    {
        using var factory = new ApiFactory(settings: Settings(Path.Combine(_watched.Path, "not-there")));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var cause = error is AggregateException { InnerException: { } inner } ? inner : error;
        var validation = cause as OptionsValidationException ?? throw new Xunit.Sdk.XunitException($"Expected the options validation to stop the host, got: {error}");
        Assert.Contains("Veeky:Import:Folder names", validation.Message);
    }

    [Fact]
    public void An_unknown_uploader_stops_the_host_with_a_sentence_naming_the_setting()
    {
        var settings = Settings();
        settings["Veeky:Import:UploaderEmail"] = "nobody@test.local";
        using var factory = new ApiFactory(settings: settings);

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("Veeky:Import:UploaderEmail names nobody@test.local, who is not a Veeky user.", error.ToString());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(TimeSpan.FromMinutes(2));
        while (!condition())
        {
            await Task.Delay(100, patience.Token);
        }
    }

    private static async Task<byte[]> GenerateTinyMp4Async()
    {
        using var folder = new TempFolder("veeky-watch-sample");
        var path = folder.File("tiny.mp4");
        var runner = new ProcessRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<ProcessRunner>.Instance);
        await runner.RunAsync("ffmpeg",
            ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-pix_fmt", "yuv420p", "-y", path],
            TimeSpan.FromMinutes(1), CancellationToken.None);
        return await File.ReadAllBytesAsync(path);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _watched.Dispose();
    }
}
