using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Veeky.Api.Identity;
using Veeky.Api.Videos;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Media;

namespace Veeky.Api.Media;

/// <summary>
/// The files of a video: the original (with HTTP ranges), the thumbnail and the keyframes. A valid signed link
/// (<see cref="MediaLinkSigner"/>) opens exactly its file; otherwise a bearer token and the visibility rules apply.
/// </summary>
public static class MediaEndpoints
{
    public static RouteGroupBuilder MapMediaEndpoints(this IEndpointRouteBuilder routes)
    {
        // Anonymous at the routing level: each handler accepts either a signed link or an authorized caller.
        var group = routes.MapGroup("/api/videos/{id:guid}").WithTags("Media").AllowAnonymous();
        group.MapGet("/stream", StreamAsync).WithName("StreamVideo")
            .WithSummary("The original video file; Range requests answer 206.");
        group.MapGet("/thumbnail", ThumbnailAsync).WithName("GetThumbnail")
            .WithSummary("A small JPEG of the video, once keyframes are extracted.");
        group.MapGet("/segments/{index:int}/keyframe", KeyframeAsync).WithName("GetKeyframe")
            .WithSummary("The keyframe JPEG of one segment.");
        return group;
    }

    public static async Task<Results<PhysicalFileHttpResult, NotFound, UnauthorizedHttpResult>> StreamAsync(
        Guid id, HttpContext context, MediaLinkSigner signer, CurrentUser currentUser, VeekyDbContext db, IMediaStore store, CancellationToken ct)
    {
        if (await ResolveScopeAsync(context, signer, currentUser, ct) is not { } scope)
        {
            return TypedResults.Unauthorized();
        }
        var video = await db.Videos.AsNoTracking().VisibleTo(scope).Where(v => v.Id == id)
            .Select(v => new { v.StoragePath, v.ContentType }).FirstOrDefaultAsync(ct);
        if (video is null || !store.Exists(video.StoragePath))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.PhysicalFile(store.GetFullPath(video.StoragePath), video.ContentType ?? "application/octet-stream",
            enableRangeProcessing: true);
    }

    public static async Task<Results<PhysicalFileHttpResult, NotFound, UnauthorizedHttpResult>> ThumbnailAsync(
        Guid id, HttpContext context, MediaLinkSigner signer, CurrentUser currentUser, VeekyDbContext db, IMediaStore store, CancellationToken ct)
    {
        if (await ResolveScopeAsync(context, signer, currentUser, ct) is not { } scope)
        {
            return TypedResults.Unauthorized();
        }
        var exists = await db.Videos.AsNoTracking().VisibleTo(scope).AnyAsync(v => v.Id == id, ct);
        var path = store.ThumbnailPath(id);
        if (!exists || !store.Exists(path))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.PhysicalFile(store.GetFullPath(path), "image/jpeg");
    }

    public static async Task<Results<PhysicalFileHttpResult, NotFound, UnauthorizedHttpResult>> KeyframeAsync(
        Guid id, int index, HttpContext context, MediaLinkSigner signer, CurrentUser currentUser, VeekyDbContext db, IMediaStore store,
        CancellationToken ct)
    {
        if (await ResolveScopeAsync(context, signer, currentUser, ct) is not { } scope)
        {
            return TypedResults.Unauthorized();
        }
        var visible = db.Videos.AsNoTracking().VisibleTo(scope).Where(v => v.Id == id).Select(v => v.Id);
        var keyframe = await db.Segments.AsNoTracking()
            .Where(s => s.VideoId == id && s.Index == index && visible.Contains(s.VideoId))
            .Select(s => s.KeyframePath)
            .FirstOrDefaultAsync(ct);
        if (keyframe is null || !store.Exists(keyframe))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.PhysicalFile(store.GetFullPath(keyframe), "image/jpeg");
    }

    /// <summary>Everything for a correctly signed link (it names one file), else the caller's scope, else null.</summary>
    private static async Task<AccessScope?> ResolveScopeAsync(HttpContext context, MediaLinkSigner signer, CurrentUser currentUser, CancellationToken ct)
    {
        var query = context.Request.Query;
        if (signer.IsValid(context.Request.Path.Value ?? "", query["exp"], query["sig"]))
        {
            return AccessScope.System;
        }
        return await currentUser.FindScopeAsync(ct);
    }
}
