using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.Data;
using Veeky.Jobs;

namespace Veeky.Media;

/// <summary>
/// At start, removes what a crash left in the media folder: a half-sent upload (<c>original.upload.*.partial</c>) or a
/// whole upload folder without a video row, a half-written thumbnail (<c>*.thumb.jpg.*.partial</c>), and the
/// <c>work/</c> folder of a video no job will come back to. In the distributed edition several hosts share the folder,
/// so nothing another host may be using is touched: partial files and row-less folders only once untouched for
/// <see cref="LeftoverAge"/>, work folders only of videos with no queued or running job (a retry resumes from them).
/// </summary>
public sealed class MediaLeftoverCleaner(
    IOptions<VeekyDataOptions> options, IDbContextFactory<VeekyDbContext> contexts, TimeProvider clock, StorageReadiness readiness, ILogger<MediaLeftoverCleaner> logger)
    : StorageDependentService(readiness, logger)
{
    /// <summary>An upload in progress writes every few seconds (Kestrel drops a body slower than 240 bytes/s), a thumbnail's
    /// partial lives for a second, and a new video's folder gets its row within a minute (the probe's timeout). An hour
    /// untouched is a leftover, whatever host wrote it.</summary>
    public static readonly TimeSpan LeftoverAge = TimeSpan.FromHours(1);

    /// <summary>Once the database answers (it says which videos and jobs still exist).</summary>
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await CleanAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only housekeeping: the next start tries again.
            logger.LogWarning(ex, "Could not clean up the leftovers of interrupted uploads and indexing in the media folder");
        }
    }

    /// <summary>Removes the leftovers; returns how many files and folders went.</summary>
    public async Task<int> CleanAsync(CancellationToken ct)
    {
        var videosFolder = Path.Combine(options.Value.ResolvedMediaDirectory(), "videos");
        if (!Directory.Exists(videosFolder))
        {
            return 0;
        }
        var folders = new Dictionary<Guid, string>();
        foreach (var folder in Directory.EnumerateDirectories(videosFolder))
        {
            if (Guid.TryParseExact(Path.GetFileName(folder), "N", out var id))
            {
                folders[id] = folder;
            }
        }
        if (folders.Count == 0)
        {
            return 0;
        }

        HashSet<Guid> known, unfinished;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var ids = folders.Keys.ToList();
            known = (await db.Videos.Where(v => ids.Contains(v.Id)).Select(v => v.Id).ToListAsync(ct)).ToHashSet();
            unfinished = (await db.Jobs.Where(j => ids.Contains(j.VideoId) && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running))
                .Select(j => j.VideoId).ToListAsync(ct)).ToHashSet();
        }

        var cutoff = clock.GetUtcNow().UtcDateTime - LeftoverAge;
        var removed = 0;
        foreach (var (id, folder) in folders)
        {
            ct.ThrowIfCancellationRequested();
            if (!known.Contains(id))
            {
                // An upload that never got its row (refused or interrupted), or a deleted video's files that stayed.
                if (LastWrite(folder) < cutoff && Remove(folder, isFolder: true))
                {
                    removed++;
                }
                continue;
            }
            var work = Path.Combine(folder, "work");
            if (!unfinished.Contains(id) && Directory.Exists(work) && Remove(work, isFolder: true))
            {
                removed++;
            }
            foreach (var partial in Directory.EnumerateFiles(folder, "*.partial", SearchOption.AllDirectories))
            {
                if (File.GetLastWriteTimeUtc(partial) < cutoff && Remove(partial, isFolder: false))
                {
                    removed++;
                }
            }
        }
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} leftovers of interrupted uploads and indexing from the media folder", removed);
        }
        return removed;
    }

    /// <summary>The newest write time in a folder, the folder's own included.</summary>
    private static DateTime LastWrite(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(File.GetLastWriteTimeUtc)
            .Append(Directory.GetLastWriteTimeUtc(folder))
            .Max();

    private bool Remove(string path, bool isFolder)
    {
        try
        {
            if (isFolder)
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
            logger.LogDebug("Removed the leftover {Path}", path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not remove the leftover {Path}", path);
            return false;
        }
    }
}
