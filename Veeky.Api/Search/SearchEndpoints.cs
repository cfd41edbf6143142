using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Veeky.Api.Identity;
using Veeky.Api.Media;
using Veeky.Contracts;
using Veeky.Search;

namespace Veeky.Api.Search;

/// <summary><c>GET /api/search</c>: moments matching words (BM25) and meaning (embeddings), inside the caller's scope.</summary>
public static class SearchEndpoints
{
    private const int MaxLimit = Limits.SearchResults;
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

    public static async Task<Results<Ok<SearchResults>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        [AsParameters] SearchQuery query, ISearchIndex index, CurrentUser currentUser, MediaLinkSigner signer,
        QueryEmbeddings embeddings, IOptions<SearchOptions> options, CancellationToken ct)
    {
        var (q, categoryId, videoId, mode, limit, offset, from, to) = query;
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
        if (requested == SearchMode.Semantic && !embeddings.HasTextModel)
        {
            return TypedResults.Problem($"Semantic search needs an embedding model: set {EmbeddingSetting} (Endpoint=…;Model=…).",
                statusCode: StatusCodes.Status400BadRequest, title: "No embedding model");
        }
        var scope = await currentUser.GetScopeAsync(ct);
        // Text and image-text query vectors with the models the indexer used; a failing model only drops its leg.
        var vectors = requested == SearchMode.Text ? QueryVectors.None : await embeddings.EmbedAsync(q!, scope, categoryId, ct);
        // Moments saying the words first, then one row per video matching only by its title, description or keywords.
        var result = await MomentRanking.SearchAsync(index, new SearchRequest(q!, scope,
            // Hybrid without vectors is text search; the answer's mode says which one ran.
            vectors.IsEmpty ? SearchMode.Text : requested,
            categoryId, videoId, limit ?? 10, offset ?? 0, vectors.Text, vectors.Image, createdFrom, createdTo),
            options.Value.CandidateCount, ct);

        return TypedResults.Ok(SearchResults.From(q!, result, started, signer));
    }
}

/// <summary>The query string of <c>GET /api/search</c>; <c>from</c>/<c>to</c> bound the videos' creation dates. The
/// names are API.md's (and the OpenAPI document's), whatever the properties are called.</summary>
public sealed record SearchQuery(
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "categoryId")] Guid? CategoryId,
    [FromQuery(Name = "videoId")] Guid? VideoId,
    [FromQuery(Name = "mode")] string? Mode,
    [FromQuery(Name = "limit")] int? Limit,
    [FromQuery(Name = "offset")] int? Offset,
    [FromQuery(Name = "from")] string? From,
    [FromQuery(Name = "to")] string? To);
