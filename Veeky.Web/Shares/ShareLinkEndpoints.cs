using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Veeky.Contracts;
using Veeky.Web.Api;
using Veeky.Web.Sessions;

namespace Veeky.Web.Shares;

/// <summary>
/// <c>POST /videos/{id}/share</c>, the video page's "Share this moment" form: asks the API for a share link at the
/// posted time. A script gets <c>{url, expiresAt}</c> to copy; without script the browser goes to the shared page,
/// whose address is the link.
/// </summary>
public static class ShareLinkEndpoints
{
    public static IEndpointRouteBuilder MapShareLinkEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/videos/{id:guid}/share", CreateAsync)
            .RequireAuthorization(WebSession.SignedInPolicy)
            // The form's token is checked below, so a refusal answers as the rest of this endpoint does.
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> CreateAsync(Guid id, HttpContext context, IAntiforgery antiforgery, VeekyApiClient api, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return TypedResults.Problem("The form has expired. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }
        var form = await context.Request.ReadFormAsync(ct);
        var start = double.TryParse(form["start"], NumberStyles.Float, CultureInfo.InvariantCulture, out var at) && double.IsFinite(at)
            ? Math.Max(0, at)
            : 0;
        ShareLink link;
        try
        {
            // The API decides who may share (the uploader or an admin) and whether the video is visible at all.
            link = await api.CreateShareAsync(id, Math.Round(start, 1), ct);
        }
        catch (ApiException e)
        {
            return TypedResults.Problem(e.Problem.Message, statusCode: (int)e.StatusCode);
        }
        catch (HttpRequestException)
        {
            return TypedResults.Problem(ApiProblem.Unreachable, statusCode: StatusCodes.Status502BadGateway);
        }
        // The link people open is this web host's page, wherever the API runs.
        var url = $"{context.Request.Scheme}://{context.Request.Host}{link.Path}";
        var wantsJson = context.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);
        return wantsJson ? TypedResults.Ok(new { url, link.ExpiresAt }) : TypedResults.LocalRedirect(link.Path);
    }
}
