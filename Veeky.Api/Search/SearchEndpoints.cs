using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Search;

namespace Veeky.Api.Search;

/// <summary><c>GET /api/search</c>: moments matching words (BM25) and meaning (embeddings), inside the caller's scope.</summary>
public static class SearchEndpoints
{
    private const int MaxLimit = 100;
    private const string EmbeddingSetting = "ConnectionStrings:ollama-embed";

    public static RouteGroupBuilder MapSearchEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api").WithTags("Search").RequireAuthorization();
        group.MapGet("/search", SearchAsync).WithName("Search")
            .WithSummary("Moments matching the query, best first, among the videos the caller can see (from/to: created between).");
        group.MapPost("/ask", AskEndpoint.AskAsync).WithName("Ask")
            .WithSummary("Answers a question from the indexed moments, citing them.");
        group.MapImageSearch();
        routes.MapSimilarMoments();
        return group;
    }

    public static async Task<Results<Ok<SearchResponse>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        string? q, Guid? categoryId, Guid? videoId, string? mode, int? limit, int? offset, string? from, string? to,
        ISearchIndex index, CurrentUser currentUser, MediaLinkSigner signer, IServiceProvider services,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(q))
        {
            errors["q"] = ["Type something to search for."];
        }
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit runs from 1 to {MaxLimit}."];
        }
        if (offset is < 0)
        {
            errors["offset"] = ["offset cannot be negative."];
        }
        SearchMode requested = SearchMode.Hybrid;
        if (mode is not null && !Enum.TryParse(mode, ignoreCase: true, out requested))
        {
            errors["mode"] = ["mode is hybrid, text or semantic."];
        }
        var (createdFrom, createdTo) = SearchDateRange.Parse(from, to, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var started = Stopwatch.GetTimestamp();
        var embeddings = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>();
        if (requested == SearchMode.Semantic && embeddings is null)
        {
            return TypedResults.Problem($"Semantic search needs an embedding model: set {EmbeddingSetting} (Endpoint=…;Model=…).",
                statusCode: StatusCodes.Status400BadRequest, title: "No embedding model");
        }
        var scope = await currentUser.GetScopeAsync(ct);
        // Text and image-text query vectors with the models the indexer used; a failing model only drops its leg.
        var vectors = requested == SearchMode.Text ? QueryVectors.None : await QueryEmbeddings.EmbedAsync(services, q!, scope, categoryId, ct);
        var result = await index.SearchAsync(new SearchRequest(q!, scope,
            // Hybrid without vectors is text search; the answer's mode says which one ran.
            vectors.IsEmpty ? SearchMode.Text : requested,
            categoryId, videoId, limit ?? 10, offset ?? 0, vectors.Text, vectors.Image, createdFrom, createdTo), ct);

        return TypedResults.Ok(SearchResponse.From(q!, result, started, signer));
    }
}

/// <summary>Answer of <c>GET /api/search</c> (and of the searches by picture and by moment); <see cref="Mode"/> is the
/// mode that actually ran.</summary>
public sealed record SearchResponse(string Query, string Mode, int Total, double TookMs, IReadOnlyList<SearchHitResponse> Hits)
{
    /// <summary>The answer for <paramref name="result"/>, with signed keyframe links, timed from <paramref name="started"/>
    /// (a <see cref="Stopwatch"/> timestamp).</summary>
    public static SearchResponse From(string query, SearchResult result, long started, MediaLinkSigner signer) => From(query, result, result.Hits, started, signer);

    /// <summary>As above for a chosen subset of <paramref name="result"/>'s hits.</summary>
    public static SearchResponse From(string query, SearchResult result, IEnumerable<SearchHit> hits, long started, MediaLinkSigner signer)
    {
        var answers = hits.Select(h => new SearchHitResponse(h.VideoId, h.VideoTitle, h.CategoryId, h.SegmentIndex, h.Start, h.End,
            h.Score, h.Snippet, h.MatchedFields, signer.Sign(MediaLinks.KeyframePath(h.VideoId, h.SegmentIndex)),
            signer.Sign(MediaLinks.SegmentThumbnailPath(h.VideoId, h.SegmentIndex)))).ToList();
        var tookMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new SearchResponse(query, result.Mode.ToString().ToLowerInvariant(), result.Total, Math.Round(tookMs, 1), answers);
    }
}

/// <summary>One moment found, with a signed link to its keyframe.</summary>
public sealed record SearchHitResponse(
    Guid VideoId,
    string VideoTitle,
    Guid CategoryId,
    int SegmentIndex,
    double Start,
    double End,
    double Score,
    string Snippet,
    IReadOnlyList<string> MatchedFields,
    string KeyframeUrl,
    string ThumbnailUrl);
