using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veeky.Web.Api;
using Veeky.Web.Components;
using Veeky.Web.Components.Shared;
using Veeky.Web.Sessions;

namespace Veeky.Web.Live;

/// <summary>
/// <c>GET /live/videos/{id}</c> and <c>GET /live/videos</c>: the API's progress event streams (one video, and every
/// video the user can see), relayed with the session's token. A browser's <c>EventSource</c> cannot send a bearer
/// header, and the token must not reach page script anyway. Visibility is the API's: it filters what it streams.
/// Each progress event gains what the pages show of it, rendered as they render it (<c>badge</c>: StatusBadge's
/// markup; <c>stageText</c>; <c>percent</c>), so live.js puts those in place rather than spelling them a second time.
/// </summary>
public static class LiveProgressEndpoints
{
    public static IEndpointRouteBuilder MapLiveProgressEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/live/videos/{id:guid}", (Guid id, HttpContext context, VeekyApiClient api, ComponentHtml html) =>
                RelayAsync(context, html, ct => api.OpenVideoEventsAsync(id, context.Request.Headers["Last-Event-ID"], ct)))
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        app.MapGet("/live/videos", (HttpContext context, VeekyApiClient api, ComponentHtml html) =>
                RelayAsync(context, html, ct => api.OpenAllEventsAsync(context.Request.Headers["Last-Event-ID"], ct)))
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task RelayAsync(HttpContext context, ComponentHtml html, Func<CancellationToken, Task<HttpResponseMessage>> open)
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
            await EventStreamRelay.CopyAsync(context, upstream, context.RequestAborted, (item, ct) => WithRenderedStatusAsync(html, item, ct));
        }
    }

    /// <summary>A progress event with the badge, the stage in words and the percent added; any other event as it came.</summary>
    public static async IAsyncEnumerable<SseItem<string>> WithRenderedStatusAsync(ComponentHtml html, SseItem<string> item,
        [EnumeratorCancellation] CancellationToken ct)
    {
        if (item.EventType != "progress" || ParseState(item.Data) is not { } state
            || state["status"]?.GetValueKind() != JsonValueKind.String)
        {
            yield return item;
            yield break;
        }
        ct.ThrowIfCancellationRequested();
        var status = state["status"]!.GetValue<string>();
        var stage = state["stage"]?.GetValueKind() == JsonValueKind.String ? state["stage"]!.GetValue<string>() : null;
        var progress = state["progress"]?.GetValueKind() == JsonValueKind.Number ? state["progress"]!.GetValue<double>() : 0;
        state["badge"] = await html.RenderAsync<StatusBadge>(new Dictionary<string, object?>
        {
            [nameof(StatusBadge.Status)] = status,
            [nameof(StatusBadge.Stage)] = stage,
            [nameof(StatusBadge.Progress)] = progress,
        });
        state["stageText"] = StatusBadge.StageText(stage) ?? "Queued";
        state["percent"] = StatusBadge.Percent(progress);
        yield return new SseItem<string>(state.ToJsonString(), item.EventType)
        {
            EventId = item.EventId,
            ReconnectionInterval = item.ReconnectionInterval,
        };
    }

    private static JsonObject? ParseState(string data)
    {
        try
        {
            return JsonNode.Parse(data) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
