using Microsoft.AspNetCore.Http.HttpResults;
using Veeky.Api.Identity;
using Veeky.Contracts;

namespace Veeky.Api.Admin;

/// <summary><c>/api/admin</c> (Admin): maintenance of the installation.</summary>
public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Admin").RequireAuthorization(ApiPolicies.Admin);
        group.MapPost("/search/rebuild", RebuildSearchAsync).WithName("RebuildSearchIndex")
            .WithSummary("Rewrites the search index from the database's completed videos and answers when it is done.");
        return group;
    }

    /// <summary>Synchronous: a rebuild rewrites documents the database already holds (seconds for thousands of videos),
    /// so the caller gets the counts in the answer instead of polling a status resource.</summary>
    public static async Task<Results<Ok<SearchRebuildResult>, ProblemHttpResult>> RebuildSearchAsync(
        SearchIndexRebuilder rebuilder, CancellationToken ct)
    {
        var result = await rebuilder.TryRebuildAsync(ct);
        return result is null
            ? TypedResults.Problem("A search index rebuild is already running; try again when it has finished.",
                statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Ok(result);
    }
}
