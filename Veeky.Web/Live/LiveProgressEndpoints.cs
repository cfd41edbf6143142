using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Veeky.Web.Api;
using Veeky.Web.Sessions;

namespace Veeky.Web.Live;

/// <summary>
/// <c>GET /live/videos/{id}</c>: the API's progress event stream, relayed with the session's token. A browser's
/// <c>EventSource</c> cannot send a bearer header, and the token must not reach page script anyway.
/// </summary>
public static class LiveProgressEndpoints
{
    public static IEndpointRouteBuilder MapLiveProgressEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/live/videos/{id:guid}", RelayAsync)
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task RelayAsync(Guid id, HttpContext context, VeekyApiClient api)
    {
        HttpResponseMessage upstream;
        try
        {
            upstream = await api.OpenVideoEventsAsync(id, context.Request.Headers["Last-Event-ID"], context.RequestAborted);
        }
        catch (ApiException e)
        {
            context.Response.StatusCode = e.StatusCode == HttpStatusCode.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status502BadGateway;
            return;
        }

        using (upstream)
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await using var events = await upstream.Content.ReadAsStreamAsync(context.RequestAborted);
            try
            {
                // Each chunk is written (and so flushed) as it arrives: events must not wait in a buffer.
                await events.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The browser left the page; nothing to finish.
            }
        }
    }
}
