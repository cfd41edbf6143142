using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Veeky.Api.Identity;
using Veeky.Api.Videos;
using Veeky.Captions;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Media;
using Veeky.Speech;

namespace Veeky.Api.Media;

/// <summary>
/// The files of a video: the original (with HTTP ranges), the thumbnail, the keyframes and the captions. A valid signed link
/// (<see cref="MediaLinkSigner"/>) opens exactly its file; otherwise a bearer token and the visibility rules apply.
/// Images carry an ETag and Last-Modified: they change only when a video is reindexed, so a revisit is a 304.
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
        group.MapGet("/segments/{index:int}/thumbnail", SegmentThumbnailAsync).WithName("GetSegmentThumbnail")
            .WithSummary("A small JPEG of one segment's keyframe (the keyframe itself for videos indexed before these existed).");
        group.MapGet("/captions.vtt", (Guid id, HttpContext context, MediaLinkSigner signer, CurrentUser currentUser, VeekyDbContext db, CancellationToken ct) =>
                CaptionsAsync(id, CaptionFormats.ToWebVtt, CaptionFormats.WebVttContentType, context, signer, currentUser, db, ct))
            .WithName("GetCaptionsWebVtt")
            .WithSummary("The transcript as WebVTT captions (what the player's <track> plays); empty before speech is transcribed.");
        group.MapGet("/captions.srt", (Guid id, HttpContext context, MediaLinkSigner signer, CurrentUser currentUser, VeekyDbContext db, CancellationToken ct) =>
                CaptionsAsync(id, CaptionFormats.ToSubRip, CaptionFormats.SubRipContentType, context, signer, currentUser, db, ct))
            .WithName("GetCaptionsSubRip")
            .WithSummary("The transcript as SubRip subtitles, for download; empty before speech is transcribed.");
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
        return Image(context, store.GetFullPath(path));
    }

    public static async Task<Results<PhysicalFileHttpResult, NotFound, UnauthorizedHttpResult>> KeyframeAsync(
        Guid id, int index, HttpContext context, MediaLinkSigner signer, CurrentUser currentUser, VeekyDbContext db, IMediaStore store,
        CancellationToken ct)
    {
        if (await ResolveScopeAsync(context, signer, currentUser, ct) is not { } scope)
        {
            return TypedResults.Unauthorized();
        }
        var keyframe = await VisibleKeyframePathAsync(db, scope, id, index, ct);
        if (keyframe is null || !store.Exists(keyframe))
        {
            return TypedResults.NotFound();
        }
        return Image(context, store.GetFullPath(keyframe));
    }

    public static async Task<Results<PhysicalFileHttpResult, NotFound, UnauthorizedHttpResult>> SegmentThumbnailAsync(
        Guid id, int index, HttpContext context, MediaLinkSigner signer, CurrentUser currentUser, VeekyDbContext db, IMediaStore store,
        CancellationToken ct)
    {
        if (await ResolveScopeAsync(context, signer, currentUser, ct) is not { } scope)
        {
            return TypedResults.Unauthorized();
        }
        var keyframe = await VisibleKeyframePathAsync(db, scope, id, index, ct);
        if (keyframe is null)
        {
            return TypedResults.NotFound();
        }
        // Videos indexed before small copies existed get the keyframe: the API has no ffmpeg to make one (it may run
        // apart from the indexer), and a reindex writes the copy.
        var thumbnail = store.SegmentThumbnailPath(id, index);
        var file = store.Exists(thumbnail) ? thumbnail : keyframe;
        if (!store.Exists(file))
        {
            return TypedResults.NotFound();
        }
        return Image(context, store.GetFullPath(file));
    }

    /// <summary>Captions built from the stored timed words on each request: cheap next to the page that asks for them,
    /// and always in step with a reindex. Revalidated by an ETag of the video's last change.</summary>
    public static async Task<Results<ContentHttpResult, StatusCodeHttpResult, NotFound, UnauthorizedHttpResult>> CaptionsAsync(
        Guid id, Func<IReadOnlyList<CaptionCue>, string> format, string contentType,
        HttpContext context, MediaLinkSigner signer, CurrentUser currentUser, VeekyDbContext db, CancellationToken ct)
    {
        if (await ResolveScopeAsync(context, signer, currentUser, ct) is not { } scope)
        {
            return TypedResults.Unauthorized();
        }
        var video = await db.Videos.AsNoTracking().VisibleTo(scope).Where(v => v.Id == id)
            .Select(v => new { v.TranscriptJson, v.UpdatedAt }).FirstOrDefaultAsync(ct);
        if (video is null)
        {
            return TypedResults.NotFound();
        }
        var tag = new EntityTagHeaderValue($"\"c{video.UpdatedAt.UtcTicks:x}\"");
        context.Response.Headers.CacheControl = "private, no-cache";
        context.Response.Headers.ETag = tag.ToString();
        if (context.Request.GetTypedHeaders().IfNoneMatch.Any(t => t.Compare(tag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        var cues = CaptionCueBuilder.Build(TranscriptJson.Deserialize(video.TranscriptJson));
        return TypedResults.Text(format(cues), contentType);
    }

    /// <summary>The stored keyframe of segment <paramref name="index"/>, or null when the video is not visible to
    /// <paramref name="scope"/> (checked in the same query) or the segment has no keyframe.</summary>
    private static Task<string?> VisibleKeyframePathAsync(VeekyDbContext db, AccessScope scope, Guid id, int index, CancellationToken ct)
    {
        var visible = db.Videos.AsNoTracking().VisibleTo(scope).Where(v => v.Id == id).Select(v => v.Id);
        return db.Segments.AsNoTracking()
            .Where(s => s.VideoId == id && s.Index == index && visible.Contains(s.VideoId))
            .Select(s => s.KeyframePath)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>A JPEG with validators: <c>no-cache</c> means "revalidate", so after a reindex the new image shows at
    /// once, while an unchanged one costs a 304 without a body. <c>private</c>: the answer depends on who asks.</summary>
    private static PhysicalFileHttpResult Image(HttpContext context, string fullPath)
    {
        var info = new FileInfo(fullPath);
        var modified = new DateTimeOffset(info.LastWriteTimeUtc);
        var tag = new EntityTagHeaderValue($"\"{info.Length:x}-{modified.UtcTicks:x}\"");
        context.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.PhysicalFile(fullPath, "image/jpeg", lastModified: modified, entityTag: tag);
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
