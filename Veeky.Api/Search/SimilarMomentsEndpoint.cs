using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Api.Videos;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Search;
using SearchHit = Veeky.Search.SearchHit;

namespace Veeky.Api.Search;

/// <summary>
/// <c>GET /api/videos/{id}/segments/{index}/similar</c>, "more like this": moments close to one moment by the text and
/// keyframe vectors stored with it, so no model is called. The moment's own neighbourhood in its video is left out: those
/// are the same scene, not something else like it.
/// </summary>
public static class SimilarMomentsEndpoint
{
    /// <summary>Moments of the same video within this many seconds of the one asked about count as the same scene.</summary>
    public const double NearbySeconds = 60;

    private const int MaxLimit = Limits.SearchResults;

    public static RouteHandlerBuilder MapSimilarMoments(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/videos/{id:guid}/segments/{index:int}/similar", SimilarAsync)
            .RequireAuthorization()
            .WithTags("Search")
            .WithName("SimilarMoments")
            .WithSummary("Moments of other videos, and far-off moments of this one, close to this moment by meaning and look.");

    public static async Task<Results<Ok<SearchResults>, NotFound, ValidationProblem, ProblemHttpResult>> SimilarAsync(
        Guid id, int index, int? limit, ISearchIndex search, VeekyDbContext db, CurrentUser currentUser, MediaLinkSigner signer,
        CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit runs from 1 to {MaxLimit}."] });
        }
        var started = Stopwatch.GetTimestamp();
        var scope = await currentUser.GetScopeAsync(ct);
        var visible = db.Videos.AsNoTracking().VisibleTo(scope).Where(v => v.Id == id).Select(v => v.Id);
        var source = await db.Segments.AsNoTracking()
            .Where(s => s.VideoId == id && s.Index == index && visible.Contains(s.VideoId))
            .Select(s => new { s.Start, s.End, s.TextEmbedding, s.ImageEmbedding, s.ImageEmbeddingModel })
            .FirstOrDefaultAsync(ct);
        if (source is null)
        {
            return TypedResults.NotFound();
        }
        // Keyframe vectors compare only within one image model's space: the one every searched category shares.
        var image = source.ImageEmbedding is not null && source.ImageEmbeddingModel is { } model
            && await QueryEmbeddings.ImageModelAsync(db, scope, categoryId: null, ct) == model
            ? source.ImageEmbedding
            : null;
        if (source.TextEmbedding is null && image is null)
        {
            return TypedResults.Problem(
                "This moment has no stored embeddings to compare: set ConnectionStrings:ollama-embed (and, for keyframes, " +
                "ConnectionStrings:image-embeddings with the category's image model), then reindex the video.",
                statusCode: StatusCodes.Status400BadRequest, title: "No embeddings for this moment");
        }

        var wanted = limit ?? 10;
        // The moment's own scene takes a few of the nearest places; ask for enough to fill the page after leaving it out.
        var result = await search.SearchAsync(new SearchRequest("", scope, SearchMode.Semantic, Limit: wanted + 100,
            QueryEmbedding: source.TextEmbedding, QueryImageEmbedding: image), ct);
        bool SameScene(SearchHit h) =>
            h.VideoId == id && h.End >= source.Start - NearbySeconds && h.Start <= source.End + NearbySeconds;
        var kept = result.Hits.Where(h => !SameScene(h)).ToList();
        var left = result.Hits.Count - kept.Count;
        return TypedResults.Ok(SearchResults.From("", result with { Total = Math.Max(0, result.Total - left) }, kept.Take(wanted), started, signer));
    }
}
