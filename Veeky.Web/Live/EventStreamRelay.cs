using Microsoft.AspNetCore.Http.Features;

namespace Veeky.Web.Live;

/// <summary>Copies an API's Server-Sent Event answer to the browser as it arrives: the live progress relays and the
/// streamed Ask answer share it.</summary>
public static class EventStreamRelay
{
    /// <summary>Streams <paramref name="upstream"/>'s body to the response until it ends or the browser leaves.</summary>
    public static async Task CopyAsync(HttpContext context, HttpResponseMessage upstream, CancellationToken ct)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await using var events = await upstream.Content.ReadAsStreamAsync(ct);
            // The headers go out now: a stream may stay silent for long (nothing indexed, a model thinking).
            await context.Response.Body.FlushAsync(ct);
            // Each chunk is written (and so flushed) as it arrives: events and tokens must not wait in a buffer.
            await events.CopyToAsync(context.Response.Body, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The browser left the page; disposing the upstream answer ends the API's stream (and any model call).
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
            // Same, seen from the upstream read.
        }
    }
}
