using System.Net;
using Veeky.Web.Api;
using Veeky.Web.Sessions;

namespace Veeky.Web.Live;

/// <summary>
/// <c>GET /live/videos/{id}</c> and <c>GET /live/videos</c>: the API's progress event streams (one video, and every
/// video the user can see), relayed with the session's token. A browser's <c>EventSource</c> cannot send a bearer
/// header, and the token must not reach page script anyway. Visibility is the API's: it filters what it streams.
/// </summary>
public static class LiveProgressEndpoints
{
    public static IEndpointRouteBuilder MapLiveProgressEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/live/videos/{id:guid}", (Guid id, HttpContext context, VeekyApiClient api) =>
                RelayAsync(context, ct => api.OpenVideoEventsAsync(id, context.Request.Headers["Last-Event-ID"], ct)))
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        app.MapGet("/live/videos", (HttpContext context, VeekyApiClient api) =>
                RelayAsync(context, ct => api.OpenAllEventsAsync(context.Request.Headers["Last-Event-ID"], ct)))
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task RelayAsync(HttpContext context, Func<CancellationToken, Task<HttpResponseMessage>> open)
    {
        HttpResponseMessage upstream;
        try
        {
            upstream = await open(context.RequestAborted);
        }
        catch (ApiException e)
        {
            context.Response.StatusCode = e.StatusCode == HttpStatusCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status502BadGateway;
            return;
        }
        catch (HttpRequestException)
        {
            // The API is down: EventSource retries on its own, and a 502 tells it (and a person) why it failed now.
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        using (upstream)
        {
            await EventStreamRelay.CopyAsync(context, upstream, context.RequestAborted);
        }
    }
}
