using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Veeky.Contracts;
using Veeky.Web.Api;
using Veeky.Web.Components.Shared;
using Veeky.Web.Sessions;

namespace Veeky.Web.Live;

/// <summary>
/// What the live library needs besides the event stream: <c>GET /live/videos/{id}/card</c>, one library card rendered
/// afresh when its video finishes (thumbnail, duration, error), and <c>POST /videos/{id}/reindex</c>, the card's
/// Reindex form, which asks the API to index the video again and comes back to the page it was sent from.
/// </summary>
public static class LiveVideoEndpoints
{
    public static IEndpointRouteBuilder MapLiveVideoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/live/videos/{id:guid}/card", RenderCardAsync)
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        app.MapPost("/videos/{id:guid}/reindex", ReindexAsync)
            .RequireAuthorization(WebSession.SignedInPolicy)
            // The form's token is checked below, so a refusal can answer as the rest of this endpoint does.
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<RazorComponentResult<VideoCard>, StatusCodeHttpResult>> RenderCardAsync(
        Guid id, string? returnUrl, HttpContext context, VeekyApiClient api, CancellationToken ct)
    {
        VideoSummary? video;
        IReadOnlyList<CategorySummary> categories;
        try
        {
            // One call after the other: both read the session from the same HttpContext, which is not thread-safe.
            video = await api.FindVideoAsync(id, ct);
            if (video is null)
            {
                return TypedResults.StatusCode(StatusCodes.Status404NotFound);
            }
            categories = await api.GetCategoriesAsync(ct);
        }
        catch (ApiException e)
        {
            return TypedResults.StatusCode(e.StatusCode == HttpStatusCode.Unauthorized ? StatusCodes.Status401Unauthorized : StatusCodes.Status502BadGateway);
        }
        catch (HttpRequestException)
        {
            return TypedResults.StatusCode(StatusCodes.Status502BadGateway);
        }
        return new RazorComponentResult<VideoCard>(new Dictionary<string, object?>
        {
            [nameof(VideoCard.Video)] = video,
            [nameof(VideoCard.CategoryName)] = categories.FirstOrDefault(c => c.Id == video.CategoryId)?.Name,
            [nameof(VideoCard.CanManage)] = SessionUser.From(context.User)?.CanManage(video.UploaderId) == true,
            [nameof(VideoCard.ReturnUrl)] = ReturnUrls.LocalOrHome(returnUrl),
        });
    }

    private static async Task<IResult> ReindexAsync(Guid id, HttpContext context, IAntiforgery antiforgery, VeekyApiClient api, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem("The form has expired. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }
        var form = await context.Request.ReadFormAsync(ct);
        try
        {
            // The API decides who may reindex (the uploader or an admin) and whether the video is visible at all.
            await api.ReindexAsync(id, ct);
        }
        catch (ApiException e)
        {
            return TypedResults.Problem(e.Problem.Message, statusCode: (int)e.StatusCode);
        }
        catch (HttpRequestException)
        {
            return TypedResults.Problem(ApiProblem.Unreachable, statusCode: StatusCodes.Status502BadGateway);
        }
        return TypedResults.LocalRedirect(ReturnUrls.LocalOrHome(form["returnUrl"]));
    }
}
