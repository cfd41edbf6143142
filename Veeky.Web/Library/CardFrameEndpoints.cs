using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Veeky.Web.Api;
using Veeky.Web.Components.Shared;
using Veeky.Web.Sessions;
using Veeky.Contracts;

namespace Veeky.Web.Library;

/// <summary><c>GET /library/videos/{id}/frames</c>: the keyframes a library card scrubs through, rendered as the
/// card's overlay (<see cref="CardFrames"/>). Asked by library.js on a card's first hover or focus only.</summary>
public static class CardFrameEndpoints
{
    /// <summary>As many frames as the API spreads by default: finer than a pointer moves across a card.</summary>
    private const int FrameCount = 12;

    public static IEndpointRouteBuilder MapCardFrameEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/library/videos/{id:guid}/frames", RenderAsync)
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<RazorComponentResult<CardFrames>, StatusCodeHttpResult>> RenderAsync(
        Guid id, VeekyApiClient api, CancellationToken ct)
    {
        IReadOnlyList<VideoKeyframe>? frames;
        try
        {
            frames = await api.FindKeyframesAsync(id, FrameCount, ct);
        }
        catch (ApiException e)
        {
            return TypedResults.StatusCode(e.StatusCode == HttpStatusCode.Unauthorized ? StatusCodes.Status401Unauthorized : StatusCodes.Status502BadGateway);
        }
        catch (HttpRequestException)
        {
            return TypedResults.StatusCode(StatusCodes.Status502BadGateway);
        }
        if (frames is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status404NotFound);
        }
        return new RazorComponentResult<CardFrames>(new Dictionary<string, object?> { [nameof(CardFrames.Frames)] = frames });
    }
}
