using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Api.Videos;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Media;
using Veeky.Videos;

namespace Veeky.Api.Shares;

/// <summary>
/// Share links: the owner of a video (or an admin) makes a link that opens that one video at a moment without signing
/// in, until it expires or is revoked. What the link opens (<c>GET /api/shares/{token}</c>) is the video, its moments
/// and signed links to its files: no search, no other video, no token for anything else.
/// </summary>
public static class ShareEndpoints
{
    /// <summary>A week: long enough to reach a colleague on leave, short enough that forgotten links die.</summary>
    public const int DefaultHours = 168;

    /// <summary>Thirty days at most: a standing public link is what a publishing platform is for.</summary>
    public const int MaxHours = 720;

    public static IEndpointRouteBuilder MapShareEndpoints(this IEndpointRouteBuilder routes)
    {
        var video = routes.MapGroup("/api/videos/{id:guid}/shares").WithTags("Shares").RequireAuthorization();
        video.MapPost("/", CreateAsync).WithName("CreateShare")
            .WithSummary("Creates a link that opens this video at a moment without signing in (uploader or admin).");
        video.MapGet("/", ListAsync).WithName("ListShares")
            .WithSummary("The video's share links that have not expired (uploader or admin).");

        var shares = routes.MapGroup("/api/shares").WithTags("Shares");
        shares.MapDelete("/{shareId:guid}", RevokeAsync).RequireAuthorization().WithName("RevokeShare")
            .WithSummary("Revokes a share link: it answers 404 from then on (the video's uploader or an admin).");
        shares.MapGet("/{token}", OpenAsync).AllowAnonymous().WithName("OpenShare")
            .WithSummary("What a share link opens: the video, where to start and its moments; 404 when the link is not valid.");
        return routes;
    }

    public static async Task<Results<Created<ShareLink>, NotFound, ForbidHttpResult, ValidationProblem>> CreateAsync(
        Guid id, CreateShareRequest? request, HttpContext context, VeekyDbContext db, CurrentUser currentUser, ShareTokens tokens,
        IOptions<ApiOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var video = await db.Videos.AsNoTracking().VisibleTo(scope).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (video is null)
        {
            return TypedResults.NotFound();
        }
        if (!scope.CanModify(video))
        {
            return TypedResults.Forbid();
        }
        var start = request?.Start ?? 0;
        var hours = request?.ExpiresInHours ?? DefaultHours;
        var errors = new Dictionary<string, string[]>();
        if (!double.IsFinite(start) || start < 0 || (video.DurationSeconds is { } duration && start > duration))
        {
            errors["start"] = [video.DurationSeconds is { } d
                ? $"start is a time in seconds from 0 to the video's length ({d:0.##})."
                : "start is a time in seconds from 0."];
        }
        if (hours is < 1 or > MaxHours)
        {
            errors["expiresInHours"] = [$"expiresInHours runs from 1 to {MaxHours} (30 days)."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var now = clock.GetUtcNow();
        var share = new VideoShare
        {
            Id = Guid.NewGuid(),
            VideoId = id,
            Start = Math.Round(start, 3),
            CreatedBy = scope.UserId,
            CreatedAt = now,
            ExpiresAt = now.AddHours(hours),
        };
        db.VideoShares.Add(share);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/videos/{id}/shares", ToResponse(share, context, tokens, options.Value));
    }

    public static async Task<Results<Ok<List<ShareLink>>, NotFound, ForbidHttpResult>> ListAsync(
        Guid id, HttpContext context, VeekyDbContext db, CurrentUser currentUser, ShareTokens tokens, IOptions<ApiOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var video = await db.Videos.AsNoTracking().VisibleTo(scope).FirstOrDefaultAsync(v => v.Id == id, ct);
        if (video is null)
        {
            return TypedResults.NotFound();
        }
        if (!scope.CanModify(video))
        {
            return TypedResults.Forbid();
        }
        var now = clock.GetUtcNow();
        var shares = await db.VideoShares.AsNoTracking().Where(s => s.VideoId == id && s.ExpiresAt > now)
            .OrderByDescending(s => s.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(shares.Select(s => ToResponse(s, context, tokens, options.Value)).ToList());
    }

    public static async Task<Results<NoContent, NotFound, ForbidHttpResult>> RevokeAsync(
        Guid shareId, VeekyDbContext db, CurrentUser currentUser, CancellationToken ct)
    {
        var scope = await currentUser.GetScopeAsync(ct);
        var share = await db.VideoShares.AsNoTracking().FirstOrDefaultAsync(s => s.Id == shareId, ct);
        var video = share is null ? null
            : await db.Videos.AsNoTracking().VisibleTo(scope).FirstOrDefaultAsync(v => v.Id == share.VideoId, ct);
        if (share is null || video is null)
        {
            return TypedResults.NotFound();
        }
        if (!scope.CanModify(video))
        {
            return TypedResults.Forbid();
        }
        // Deleted rather than marked: a revoked link must never open again, and nothing else refers to it.
        await db.VideoShares.Where(s => s.Id == shareId).ExecuteDeleteAsync(ct);
        return TypedResults.NoContent();
    }

    /// <summary>Anonymous: the token itself is the permission. Invalid, tampered, expired and revoked all read the same.</summary>
    public static async Task<Results<Ok<SharedVideoView>, ProblemHttpResult>> OpenAsync(
        string token, VeekyDbContext db, ShareTokens tokens, MediaLinkSigner signer, IMediaStore store, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var share = tokens.Read(token) is { } shareId
            ? await db.VideoShares.AsNoTracking().FirstOrDefaultAsync(s => s.Id == shareId && s.ExpiresAt > now, ct)
            : null;
        var video = share is null ? null : await db.Videos.AsNoTracking().FirstOrDefaultAsync(v => v.Id == share.VideoId, ct);
        if (share is null || video is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: "This link is not valid: it was changed, it has expired or it was revoked. Ask whoever sent it for a new one.");
        }
        // The same signed links as the video page, so the shared page plays, shows keyframes and captions exactly as it.
        var full = VideoSummary.From(video, signer, store);
        var shared = new SharedVideo(video.Id, video.Title, video.Description, video.Keywords, video.Summary, video.DurationSeconds,
            video.Width, video.Height, full.StreamUrl, full.ThumbnailUrl, full.CaptionsVttUrl);
        var segments = await VideoEndpoints.LoadSegmentResponsesAsync(db, video.Id, signer, ct);
        return TypedResults.Ok(new SharedVideoView(share.Start, share.ExpiresAt, shared, segments));
    }

    private static ShareLink ToResponse(VideoShare share, HttpContext context, ShareTokens tokens, ApiOptions options)
    {
        var path = ShareTokens.PagePath(tokens.Create(share.Id));
        var origin = options.PublicUrl ?? new Uri($"{context.Request.Scheme}://{context.Request.Host}");
        return new ShareLink(share.Id, new Uri(origin, path).ToString(), path, share.Start, share.ExpiresAt, share.CreatedAt);
    }
}
