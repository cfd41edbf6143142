using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Api.Identity;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Health;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Videos;

namespace Veeky.Api.Admin;

/// <summary>
/// <c>GET /api/admin/status</c> (Admin): what an admin looks at to run the instance — the indexing queue (waiting,
/// running with stage and worker, failed with the error), the pipeline's capabilities as <c>/health</c> reports them,
/// and the storage the media folder uses.
/// </summary>
public static class AdminStatusEndpoint
{
    /// <summary>A queue longer than a screen is summarised by its count; the lists show the oldest this many.</summary>
    private const int ListLimit = 50;

    public static IEndpointRouteBuilder MapAdminStatusEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/admin/status", GetAsync).WithTags("Admin").RequireAuthorization(ApiPolicies.Admin)
            .WithName("GetAdminStatus").WithSummary("The indexing queue, the pipeline's capabilities and the storage used.");
        return routes;
    }

    public static async Task<Ok<AdminStatus>> GetAsync(VeekyDbContext db, IMediaStore store, CapabilitiesHealthCheck capabilityCheck,
        CancellationToken ct)
    {
        var waiting = await QueueAsync(db, JobStatus.Queued, ct);
        var running = await QueueAsync(db, JobStatus.Running, ct);
        // Failed is a video's state (its last job gave up), so a reindexed video leaves this list at once.
        var failedVideos = db.Videos.AsNoTracking().Where(v => v.Status == VideoStatus.Failed);
        var failed = await failedVideos.OrderByDescending(v => v.UpdatedAt).Take(ListLimit)
            .Select(v => new QueuedVideo(v.Id, v.Title, v.Stage.ToString(), v.Progress, v.Error, null,
                db.Jobs.Where(j => j.VideoId == v.Id).Max(j => (int?)j.Attempts) ?? 0, v.UpdatedAt))
            .ToListAsync(ct);
        var queue = new IndexingQueue(
            await db.Jobs.CountAsync(j => j.Status == JobStatus.Queued, ct), waiting,
            await db.Jobs.CountAsync(j => j.Status == JobStatus.Running, ct), running,
            await failedVideos.CountAsync(ct), failed);

        var health = await capabilityCheck.CheckHealthAsync(new HealthCheckContext(), ct);
        var capabilities = health.Data.ToDictionary(e => e.Key, e => e.Value?.ToString() ?? "");

        return TypedResults.Ok(new AdminStatus(queue, capabilities, await StorageAsync(db, store, ct)));
    }

    private static Task<List<QueuedVideo>> QueueAsync(VeekyDbContext db, JobStatus status, CancellationToken ct) =>
        db.Jobs.AsNoTracking().Where(j => j.Status == status)
            .Join(db.Videos, j => j.VideoId, v => v.Id, (j, v) => new { j, v })
            .OrderBy(x => x.j.CreatedAt).Take(ListLimit)
            .Select(x => new QueuedVideo(x.v.Id, x.v.Title, x.v.Stage.ToString(), x.v.Progress, x.j.Error, x.j.LeaseOwner, x.j.Attempts, x.j.UpdatedAt))
            .ToListAsync(ct);

    /// <summary>The originals from the database; everything in the media folder (keyframes, thumbnails, work files) from
    /// the disk, with the space left on its drive.</summary>
    private static async Task<StorageUse> StorageAsync(VeekyDbContext db, IMediaStore store, CancellationToken ct)
    {
        var videos = await db.Videos.CountAsync(ct);
        // Summed on the client: SQLite cannot SUM a 64-bit column through EF's translation on every provider alike.
        var originals = (await db.Videos.AsNoTracking().Select(v => v.SizeBytes).ToListAsync(ct)).Sum();
        var root = Path.GetDirectoryName(store.GetFullPath("videos"))!;
        long folder = 0;
        long? free = null;
        if (Directory.Exists(root))
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true };
            folder = new DirectoryInfo(root).EnumerateFiles("*", options).Sum(f => f.Length);
            free = new DriveInfo(root).AvailableFreeSpace;
        }
        return new StorageUse(videos, originals, folder, free);
    }
}
