using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Api.Videos;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Import;
using Veeky.Jobs;
using Veeky.Media;

namespace Veeky.Api.Import;

/// <summary>
/// The watch folder (<c>Veeky:Import:Folder</c>): a file in <c>{Folder}/{category name}/</c> whose size has stopped
/// changing for <see cref="ImportOptions.SettleSeconds"/> is stored as a new video of that category, titled by its file
/// name, through the upload's own <see cref="VideoIntake"/>. A stored file moves to <c>.imported/</c> (or is deleted); a
/// refused one moves to <c>.failed/</c> beside <c>&lt;name&gt;.error.txt</c> saying why. The folder is polled, not watched:
/// FileSystemWatcher misses events on network shares (SMB, NFS), which is where such folders usually live, and a poll
/// every couple of seconds costs nothing. One replica imports at a time (<see cref="WatchFolderLease"/>).
/// </summary>
public sealed class WatchFolderImporter(
    IOptions<ImportOptions> options,
    IOptions<VeekyOptions> veekyOptions,
    IServiceScopeFactory scopes,
    WatchFolderLease lease,
    IMediaStore store,
    TimeProvider clock,
    StorageReadiness readiness,
    ILogger<WatchFolderImporter> logger) : StorageDependentService(readiness, logger)
{
    public const string ImportedFolder = ".imported";
    public const string FailedFolder = ".failed";

    private readonly string _holder = $"{WorkerIdentity.Current.Prefix}/watch-folder/{Guid.NewGuid():N}";
    private readonly CancellationTokenSource _stopping = new();
    /// <summary>Size and write time last seen per file, and since when they have not changed.</summary>
    private readonly Dictionary<string, (long Size, DateTime Written, DateTimeOffset Since)> _seen = [];
    /// <summary>Folders already reported as naming no category: once each, not at every poll.</summary>
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private Task _polling = Task.CompletedTask;
    private Guid _uploaderId;
    private bool _holding;

    /// <summary>Resolves the uploader (an unknown one stops the host), then polls until the host stops.</summary>
    protected override async Task RunAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (settings.Folder is null)
        {
            return;
        }
        _uploaderId = await FindUploaderAsync(settings.UploaderEmail, ct);
        logger.LogInformation("Watching {Folder} for videos to import, one subfolder per category", settings.Folder);
        _polling = Task.Run(() => PollAsync(_stopping.Token), CancellationToken.None);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await base.StopAsync(cancellationToken);
        await _polling.WaitAsync(cancellationToken);
        if (_holding)
        {
            try
            {
                await lease.ReleaseAsync(_holder, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogDebug(ex, "Could not release the watch folder lease; it runs out by itself");
            }
        }
    }

    private async Task<Guid> FindUploaderAsync(string? email, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        VeekyUser? user;
        if (string.IsNullOrWhiteSpace(email))
        {
            user = await db.Users.Where(u => u.Role == Roles.Admin).OrderBy(u => u.CreatedAt).FirstOrDefaultAsync(ct)
                ?? throw new InvalidOperationException("Veeky:Import:UploaderEmail is not set and there is no admin to import the watch folder as.");
        }
        else
        {
            var normalized = email.Trim().ToUpperInvariant();
            user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized || u.NormalizedUserName == normalized, ct)
                ?? throw new InvalidOperationException($"Veeky:Import:UploaderEmail names {email.Trim()}, who is not a Veeky user.");
        }
        if (user.Role is not (Roles.Admin or Roles.Editor))
        {
            throw new InvalidOperationException($"Veeky:Import:UploaderEmail names {user.Email}, who is neither an Editor nor an Admin and may not add videos.");
        }
        return user.Id;
    }

    private async Task PollAsync(CancellationToken ct)
    {
        var settings = options.Value;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                _holding = await lease.TryHoldAsync(_holder, settings.LeaseDuration, ct);
                if (_holding)
                {
                    await ScanAsync(settings, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A busy database or a share that blinked: the next poll tries again.
                logger.LogWarning(ex, "Could not look at the watch folder {Folder}", settings.Folder);
            }
            try
            {
                await Task.Delay(settings.PollInterval, clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One look at the folder: imports every settled file of every folder that names a category.</summary>
    public async Task ScanAsync(ImportOptions settings, CancellationToken ct)
    {
        Dictionary<string, Guid> categories;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
            categories = (await db.Categories.AsNoTracking().Select(c => new { c.Name, c.Id }).ToListAsync(ct))
                .ToDictionary(c => c.Name, c => c.Id, StringComparer.OrdinalIgnoreCase);
        }
        var now = clock.GetUtcNow();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(settings.Folder!))
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith('.'))
            {
                continue;
            }
            if (!categories.TryGetValue(name, out var categoryId))
            {
                if (_reported.Add(name))
                {
                    logger.LogWarning("The watch folder {Folder} names no category; its files are not imported. Create the category {Name} or rename the folder.",
                        folder, name);
                }
                continue;
            }
            _reported.Remove(name);
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var fileName = Path.GetFileName(file);
                if (fileName.StartsWith('.'))
                {
                    continue; // hidden files, and the temp names copy tools write before renaming
                }
                present.Add(file);
                var info = new FileInfo(file);
                if (!_seen.TryGetValue(file, out var last) || last.Size != info.Length || last.Written != info.LastWriteTimeUtc)
                {
                    _seen[file] = (info.Length, info.LastWriteTimeUtc, now);
                    continue;
                }
                if (now - last.Since < TimeSpan.FromSeconds(settings.SettleSeconds))
                {
                    continue;
                }
                _seen.Remove(file);
                present.Remove(file);
                await ImportAsync(file, categoryId, settings, ct);
            }
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }
    }

    private async Task ImportAsync(string file, Guid categoryId, ImportOptions settings, CancellationToken ct)
    {
        var videoId = Guid.CreateVersion7();
        var fileName = Path.GetFileName(file);
        string? refusal;
        try
        {
            refusal = await StoreAsync(file, videoId, categoryId, ct);
        }
        catch (MediaStoreWriteException ex)
        {
            // The server's fault, not the file's: left where it is for the next try.
            logger.LogError(ex, "Could not store {File} from the watch folder", file);
            await DiscardAsync(videoId);
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Still being written by another program, or gone: looked at again at the next poll.
            logger.LogInformation(ex, "Could not read {File} from the watch folder yet", file);
            await DiscardAsync(videoId);
            return;
        }
        catch
        {
            // Not stored (the database refused the row, the host is stopping): nothing of it may stay in the media folder.
            await DiscardAsync(videoId);
            throw;
        }
        if (refusal is null)
        {
            logger.LogInformation("Imported {File} from the watch folder as video {VideoId}", file, videoId);
            if (settings.DeleteImported)
            {
                File.Delete(file);
            }
            else
            {
                MoveAside(file, ImportedFolder);
            }
            return;
        }
        await DiscardAsync(videoId);
        logger.LogWarning("Refused {File} from the watch folder: {Reason}", file, refusal);
        var moved = MoveAside(file, FailedFolder);
        // Written aside and moved into place: whoever watches .failed/ never reads a half-written reason.
        var temp = moved + ".error.txt.partial";
        await File.WriteAllTextAsync(temp, $"{fileName} was not imported: {refusal}{Environment.NewLine}", CancellationToken.None);
        File.Move(temp, moved + ".error.txt", overwrite: true);
    }

    /// <summary>Stores the file as a video; null when stored, else the sentence why it was refused.</summary>
    private async Task<string?> StoreAsync(string file, Guid videoId, Guid categoryId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        var intake = scope.ServiceProvider.GetRequiredService<VideoIntake>();
        var uploader = await db.Users.AsNoTracking().Include(u => u.Categories).FirstOrDefaultAsync(u => u.Id == _uploaderId, ct);
        if (uploader is null)
        {
            return "the importing user no longer exists (Veeky:Import:UploaderEmail).";
        }
        var scopeOfUploader = new AccessScope(uploader.Id, uploader.Role, uploader.Categories.Select(c => c.CategoryId).ToHashSet());
        var title = Path.GetFileNameWithoutExtension(file).Trim();
        if (title.Length > VideoMetadataRules.MaxTitleLength)
        {
            title = title[..VideoMetadataRules.MaxTitleLength];
        }
        var errors = new Dictionary<string, string[]>();
        await VideoMetadataRules.ValidateAsync(title, null, categoryId, scopeOfUploader, db, errors, ct);
        if (errors.Count > 0)
        {
            return string.Join(" ", errors.SelectMany(e => e.Value));
        }

        var maxBytes = veekyOptions.Value.Upload.MaxBytes;
        StoredFile stored;
        await using (var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            if (source.Length == 0)
            {
                return "the file is empty.";
            }
            try
            {
                stored = await store.SaveAsync(intake.UploadPath(videoId), source, maxBytes, ct);
            }
            catch (FileTooLargeException)
            {
                return $"the file is larger than the upload limit of {maxBytes} bytes (Veeky:Upload:MaxBytes).";
            }
        }
        var video = await intake.AcceptFileAsync(db, videoId, stored,
            new NewVideo(title, null, [], categoryId, uploader.Id, Path.GetFileName(file)), ct);
        return video is null ? "the file is not a video that can be read (ffprobe found no video stream with a duration)." : null;
    }

    /// <summary>Moves the file into <paramref name="subfolder"/> beside it, under a free name; returns its new path.</summary>
    private static string MoveAside(string file, string subfolder)
    {
        var folder = Path.Combine(Path.GetDirectoryName(file)!, subfolder);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, Path.GetFileName(file));
        for (var n = 2; File.Exists(target); n++)
        {
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(file)} ({n}){Path.GetExtension(file)}");
        }
        File.Move(file, target);
        return target;
    }

    private async Task DiscardAsync(Guid videoId)
    {
        try
        {
            await store.DeleteVideoAsync(videoId, CancellationToken.None);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not delete the refused import {VideoId}", videoId);
        }
    }
}
