using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Progress;
using Veeky.Search;
using Veeky.Videos;
using Veeky.Webhooks;

namespace Veeky.Api.Videos;

/// <summary><c>/api/videos</c>: list, read, edit, reindex and delete videos (upload is in <see cref="VideoUploadEndpoint"/>).
/// Every query goes through <see cref="VideoVisibility.VisibleTo"/>.</summary>
public static class VideoEndpoints
{
    private const int MaxPageSize = Limits.PageSize;

    public static RouteGroupBuilder MapVideoEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/videos").WithTags("Videos").RequireAuthorization();
        group.MapVideoUpload();
        group.MapVideoImport();
        group.MapVideoKeyframes();
        group.MapVideoSentences();
        group.MapGet("/", ListAsync).WithName("ListVideos")
            .WithSummary("Videos the caller can see, filtered by category, status, uploader or title and description words, in the order asked (newest first by default).");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetVideo").WithSummary("One video.");
        group.MapGet("/{id:guid}/status", GetStatusAsync).WithName("GetVideoStatus").WithSummary("The indexing state of a video.");
        group.MapGet("/{id:guid}/segments", GetSegmentsAsync).WithName("GetSegments").WithSummary("The moments of a video, in order.");
        // Modifications check the role in the handler, after visibility: an invisible video is 404 even for a reader.
        group.MapPut("/{id:guid}", UpdateAsync)
            .WithName("UpdateVideo").WithSummary("Changes title, description, keywords or category (uploader or admin).");
        group.MapPost("/{id:guid}/reindex", ReindexAsync)
            .WithName("ReindexVideo").WithSummary("Indexes the video again from the start (uploader or admin).");
        group.MapDelete("/{id:guid}", DeleteAsync)
            .WithName("DeleteVideo").WithSummary("Deletes the video, its files and its search documents (uploader or admin).");
        return group;
    }

    public static async Task<Results<Ok<VideoPage>, ValidationProblem>> ListAsync(
        [AsParameters] VideoListQuery query, VeekyDbContext db, CurrentUser currentUser, MediaLinkSigner signer, IMediaStore store,
        CancellationToken ct)
    {
        var pageNumber = query.Page ?? 1;
        var size = query.PageSize ?? 20;
        if (pageNumber < 1 || size < 1 || size > MaxPageSize)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [pageNumber < 1 ? "page" : "pageSize"] = [$"page starts at 1 and pageSize runs from 1 to {MaxPageSize}."],
            });
        }
        if (!VideoListFilters.TryParseOrder(query.Sort, out var order))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["sort"] = [$"sort is one of {string.Join(", ", VideoListFilters.OrderNames)}."],
            });
        }
        var scope = await currentUser.GetScopeAsync(ct);
        // Visibility, filters, order and paging are one database query: the page and its total never disagree.
        var videos = db.Videos.AsNoTracking().VisibleTo(scope).MatchingFilters(query.CategoryId, query.Status, query.UploaderId, query.Q);
        var total = await videos.CountAsync(ct);
        var items = await videos.OrderedBy(order).Skip((pageNumber - 1) * size).Take(size).ToListAsync(ct);
        return TypedResults.Ok(new VideoPage(items.Select(v => VideoSummary.From(v, signer, store)).ToList(), total, pageNumber, size));
    }

    public static async Task<Results<Ok<VideoSummary>, NotFound>> GetAsync(
        Guid id, VeekyDbContext db, CurrentUser currentUser, MediaLinkSigner signer, IMediaStore store, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var video = await db.Videos.AsNoTracking().VisibleTo(scope).FirstOrDefaultAsync(v => v.Id == id, ct);
        return video is null ? TypedResults.NotFound() : TypedResults.Ok(VideoSummary.From(video, signer, store));
    }

    public static async Task<Results<Ok<VideoProgress>, NotFound>> GetStatusAsync(
        Guid id, VeekyDbContext db, CurrentUser currentUser, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var status = await db.Videos.AsNoTracking().VisibleTo(scope).Where(v => v.Id == id)
            .Select(v => new VideoProgress(v.Id, v.Status.ToString(), v.Stage.ToString(), v.Progress, v.Error, v.UpdatedAt))
            .FirstOrDefaultAsync(ct);
        return status is null ? TypedResults.NotFound() : TypedResults.Ok(status);
    }

    public static async Task<Results<Ok<List<VideoSegment>>, NotFound>> GetSegmentsAsync(
        Guid id, VeekyDbContext db, CurrentUser currentUser, MediaLinkSigner signer, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        if (!await db.Videos.AsNoTracking().VisibleTo(scope).AnyAsync(v => v.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(await LoadSegmentResponsesAsync(db, id, signer, ct));
    }

    /// <summary>A video's moments in order, as answers. Projected: the stored embeddings (kilobytes per segment) are for
    /// the search index, never for an answer.</summary>
    internal static async Task<List<VideoSegment>> LoadSegmentResponsesAsync(VeekyDbContext db, Guid videoId, MediaLinkSigner signer, CancellationToken ct)
    {
        var segments = await db.Segments.AsNoTracking().Where(s => s.VideoId == videoId).OrderBy(s => s.Index)
            .Select(s => new Segment
            {
                VideoId = s.VideoId, Index = s.Index, Start = s.Start, End = s.End, Transcript = s.Transcript, OcrText = s.OcrText,
                Caption = s.Caption, Keywords = s.Keywords, KeyframePath = s.KeyframePath, KeyframeTime = s.KeyframeTime,
            })
            .ToListAsync(ct);
        return segments.Select(s => VideoSegment.From(s, signer)).ToList();
    }

    public static async Task<Results<Ok<VideoSummary>, NotFound, ForbidHttpResult, ValidationProblem>> UpdateAsync(
        [AsParameters] VideoUpdate request, [AsParameters] VideoChangeServices services, MediaLinkSigner signer, CancellationToken ct)
    {
        var (db, search, store) = (services.Db, services.Search, services.Store);
        var scope = await services.CurrentUser.GetScopeAsync(ct);
        var video = await db.Videos.VisibleTo(scope).FirstOrDefaultAsync(v => v.Id == request.Id, ct);
        if (video is null)
        {
            return TypedResults.NotFound();
        }
        if (!scope.CanModify(video))
        {
            return TypedResults.Forbid();
        }
        var edit = request.Edit;
        var errors = new Dictionary<string, string[]>();
        await VideoMetadataRules.ValidateAsync(edit.Title, edit.Description, edit.CategoryId, scope, db, errors, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        video.Title = edit.Title!.Trim();
        video.Description = string.IsNullOrWhiteSpace(edit.Description) ? null : edit.Description.Trim();
        video.Keywords = VideoMetadataRules.CleanKeywords(edit.Keywords ?? []);
        video.CategoryId = edit.CategoryId!.Value;
        video.UpdatedAt = services.Clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await search.UpdateVideoAsync(VideoDocument.From(video), ct);
        return TypedResults.Ok(VideoSummary.From(video, signer, store));
    }

    public static async Task<Results<Accepted<VideoProgress>, NotFound, ForbidHttpResult>> ReindexAsync(
        Guid id, VeekyDbContext db, CurrentUser currentUser, VideoIntake intake, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var video = await db.Videos.VisibleTo(scope).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (video is null)
        {
            return TypedResults.NotFound();
        }
        if (!scope.CanModify(video))
        {
            return TypedResults.Forbid();
        }
        await intake.RequeueAsync(db, video, ct);
        return TypedResults.Accepted($"/api/videos/{video.Id}/status", VideoProgress.From(video));
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult>> DeleteAsync(
        Guid id, [AsParameters] VideoChangeServices services, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var (db, search, store) = (services.Db, services.Search, services.Store);
        var scope = await services.CurrentUser.GetScopeAsync(ct);
        var video = await db.Videos.AsNoTracking().VisibleTo(scope).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (video is null)
        {
            return TypedResults.NotFound();
        }
        if (!scope.CanModify(video))
        {
            return TypedResults.Forbid();
        }
        // Rows first: segments and jobs cascade, and a worker still running the job loses its lease at the next renewal.
        // The webhook deliveries commit with the delete, and only when this request was the one that deleted it.
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (await db.Videos.Where(v => v.Id == id).ExecuteDeleteAsync(ct) == 1)
            {
                await WebhookOutbox.AddAsync(db, WebhookEvents.VideoDeleted, video, services.Clock.GetUtcNow(), ct);
                await db.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        await search.DeleteVideoAsync(id, ct);
        try
        {
            await store.DeleteVideoAsync(id, ct);
        }
        catch (IOException ex)
        {
            // A worker may still be writing a keyframe; the row is gone, so nothing points at the leftovers.
            loggerFactory.CreateLogger(typeof(VideoEndpoints)).LogWarning(ex, "Could not delete all files of video {VideoId}", id);
        }
        return TypedResults.NoContent();
    }

    internal static VideoProgressEvent ToProgressEvent(Video video) =>
        new(video.Id, video.CategoryId, video.Status, video.Stage, video.Progress, video.Error, video.UpdatedAt);
}

/// <summary><c>PUT /api/videos/{id}</c>: which video, and its new metadata (the JSON body).</summary>
public sealed record VideoUpdate(Guid Id, [FromBody] VideoEditRequest Edit);

/// <summary>What editing or deleting a video works with: the caller (for visibility and the right to change it), the
/// metadata database, the search documents, the media files and the clock.</summary>
public sealed record VideoChangeServices(
    VeekyDbContext Db, CurrentUser CurrentUser, ISearchIndex Search, IMediaStore Store, TimeProvider Clock);
