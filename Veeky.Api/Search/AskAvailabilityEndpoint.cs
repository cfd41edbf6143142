using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;
using Veeky.Contracts;

namespace Veeky.Api.Search;

/// <summary>
/// <c>GET /api/ask/availability</c>: whether <c>POST /api/ask</c> can answer, i.e. a chat model is configured. The web
/// UI asks it before offering the Ask box, so nobody types a question only to learn that no model will read it.
/// </summary>
public static class AskAvailabilityEndpoint
{
    public static IEndpointRouteBuilder MapAskAvailabilityEndpoint(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/ask/availability", GetAvailability)
            .RequireAuthorization()
            .WithTags("Search")
            .WithName("GetAskAvailability")
            .WithSummary("Whether questions can be asked: true when a chat model is configured.");
        return routes;
    }

    // The same test POST /api/ask makes before answering: an un-keyed chat client registered or not.
    public static Ok<AskAvailability> GetAvailability([FromServices] IChatClient? chat) =>
        TypedResults.Ok(new AskAvailability(chat is not null));
}
