using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Contracts;
using Veeky.Data;

namespace Veeky.Api.Videos;

/// <summary><c>GET /api/videos/{id}/keyframes</c>: a few of a video's keyframe thumbnails spread over its length, what a
/// library card scrubs through. Cheaper than the segments for that: two numbers per segment are read, no text.</summary>
public static class VideoKeyframesEndpoint
{
    /// <summary>A dozen frames: one per ~8 % of a card's width, finer than a pointer moves across a thumbnail.</summary>
    public const int DefaultCount = 12;

    public const int MaxCount = 50;

    public static RouteHandlerBuilder MapVideoKeyframes(this RouteGroupBuilder group) =>
        group.MapGet("/{id:guid}/keyframes", ListAsync)
            .WithName("ListKeyframes")
            .WithSummary("Up to `count` keyframe thumbnails spread evenly over the video, in time order, with signed links.");

    public static async Task<Results<Ok<List<VideoKeyframe>>, NotFound, ValidationProblem>> ListAsync(
        Guid id, int? count, VeekyDbContext db, CurrentUser currentUser, MediaLinkSigner signer, CancellationToken ct)
    {
        var wanted = count ?? DefaultCount;
        if (wanted is < 1 or > MaxCount)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["count"] = [$"count runs from 1 to {MaxCount}."],
            });
        }
        var scope = await currentUser.GetScopeAsync(ct);
        var visible = db.Videos.AsNoTracking().VisibleTo(scope).Where(v => v.Id == id);
        // Visibility is part of the query: a hidden video's keyframes are never read.
        var frames = await db.Segments.AsNoTracking()
            .Where(s => s.VideoId == id && s.KeyframePath != null && visible.Any())
            .OrderBy(s => s.Index)
            .Select(s => new { s.Index, Start = s.KeyframeTime ?? s.Start })
            .ToListAsync(ct);
        if (frames.Count == 0 && !await visible.AnyAsync(ct))
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Ok(Spread(frames.Count, wanted)
            .Select(i => new VideoKeyframe(frames[i].Index, frames[i].Start,
                signer.Sign(MediaLinks.SegmentThumbnailPath(id, frames[i].Index))))
            .ToList());
    }

    /// <summary>Which of <paramref name="available"/> items to take so that <paramref name="wanted"/> of them cover the
    /// whole range evenly, first and last included.</summary>
    public static IEnumerable<int> Spread(int available, int wanted)
    {
        if (available <= wanted)
        {
            return Enumerable.Range(0, available);
        }
        if (wanted == 1)
        {
            return [0];
        }
        return Enumerable.Range(0, wanted).Select(i => (int)Math.Round(i * (available - 1) / (double)(wanted - 1))).Distinct();
    }
}
