using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.Features;

namespace Veeky.Web.Live;

/// <summary>Copies an API's Server-Sent Event answer to the browser as it arrives: the live progress relays and the
/// streamed Ask answer share it. With a rewrite, each event is read and passed on as the events the rewrite makes of
/// it, so the page can be sent what the server renders (a badge, the answer's sources) instead of rendering it again.</summary>
public static class EventStreamRelay
{
    /// <summary>What one upstream event becomes on its way to the browser: itself, changed, or followed by others.</summary>
    public delegate IAsyncEnumerable<SseItem<string>> Rewrite(SseItem<string> item, CancellationToken ct);

    /// <summary>Streams <paramref name="upstream"/>'s body to the response until it ends or the browser leaves;
    /// each event through <paramref name="rewrite"/> when given, byte for byte otherwise.</summary>
    public static async Task CopyAsync(HttpContext context, HttpResponseMessage upstream, CancellationToken ct, Rewrite? rewrite = null)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await using var events = await upstream.Content.ReadAsStreamAsync(ct);
            // The headers go out now: a stream may stay silent for long (nothing indexed, a model thinking).
            await context.Response.Body.FlushAsync(ct);
            // Each chunk or event is written (and so flushed) as it arrives: events and tokens must not wait in a buffer.
            if (rewrite is null)
            {
                await events.CopyToAsync(context.Response.Body, ct);
            }
            else
            {
                await SseFormatter.WriteAsync(RewriteAsync(events, rewrite, ct), context.Response.Body, ct);
            }
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

    private static async IAsyncEnumerable<SseItem<string>> RewriteAsync(Stream events, Rewrite rewrite, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var item in SseParser.Create(events).EnumerateAsync(ct))
        {
            await foreach (var rewritten in rewrite(item, ct))
            {
                yield return rewritten;
            }
        }
    }
}
