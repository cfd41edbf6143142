using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Veeky.Contracts;
using Veeky.Web.Api;
using Veeky.Web.Components;
using Veeky.Web.Components.Shared;
using Veeky.Web.Live;
using Veeky.Web.Sessions;

namespace Veeky.Web.Ask;

/// <summary>
/// <c>POST /ask</c>: the Ask box's form target. ask.js posts it with <c>Accept: text/event-stream</c> and gets the
/// API's streamed answer passed through with the session's token (which never reaches page script), the
/// <c>citations</c> event followed by a <c>sources</c> event: <c>{"html": …}</c>, the answer's sources rendered by the
/// AskSources component the no-script page uses, so ask.js puts them in place instead of building them again. A plain form
/// post (no script) is sent back to the search page with the question, which then shows the whole answer.
/// </summary>
public static class AskEndpoints
{
    /// <summary>Longest question accepted: the API's own limit, so the box refuses no question the API would take.</summary>
    public const int MaxQuestionLength = Limits.QuestionLength;

    public static IEndpointRouteBuilder MapAskEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/ask", AskAsync)
            .RequireAuthorization(WebSession.SignedInPolicy)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task AskAsync(HttpContext context, IAntiforgery antiforgery, VeekyApiClient api, ComponentHtml html)
    {
        var ct = context.RequestAborted;
        var streaming = WantsEventStream(context.Request);
        if (!context.Request.HasFormContentType)
        {
            await Results.Problem("Send the question as a form.", statusCode: StatusCodes.Status415UnsupportedMediaType).ExecuteAsync(context);
            return;
        }
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            await Results.Problem("The page has expired. Reload it and ask again.", statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
            return;
        }
        var form = await context.Request.ReadFormAsync(ct);
        var question = form["question"].ToString().Trim();
        Guid? categoryId = Guid.TryParse(form["categoryId"].ToString(), out var id) ? id : null;
        // The search the box sits under, kept so the page comes back with the same results.
        var search = form["q"].ToString().Trim();
        if (question.Length == 0 || question.Length > MaxQuestionLength)
        {
            var message = question.Length == 0 ? "Ask a question." : $"Keep the question under {MaxQuestionLength} characters.";
            await (streaming
                ? Results.Problem(message, statusCode: StatusCodes.Status400BadRequest)
                : Results.LocalRedirect(SearchPage(search, null, categoryId))).ExecuteAsync(context);
            return;
        }
        if (!streaming)
        {
            // Without script: the search page asks the API itself and renders the whole answer.
            await Results.LocalRedirect(SearchPage(search, question, categoryId)).ExecuteAsync(context);
            return;
        }

        HttpResponseMessage upstream;
        try
        {
            upstream = await api.OpenAskStreamAsync(question, categoryId, ct);
        }
        catch (ApiException e)
        {
            await Results.Problem(e.Problem.Message, statusCode: (int)e.StatusCode).ExecuteAsync(context);
            return;
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            // The API client's timeout: the model took longer than that to send its first token.
            await Results.Problem("The chat model took too long to start answering. Try again in a moment.",
                statusCode: StatusCodes.Status504GatewayTimeout).ExecuteAsync(context);
            return;
        }
        catch (HttpRequestException)
        {
            await Results.Problem(ApiProblem.Unreachable,
                statusCode: StatusCodes.Status502BadGateway).ExecuteAsync(context);
            return;
        }

        using (upstream)
        {
            await EventStreamRelay.CopyAsync(context, upstream, ct, (item, _) => WithRenderedSourcesAsync(html, item));
        }
    }

    /// <summary>The <c>citations</c> event, then its sources rendered; any other event as it came.</summary>
    public static async IAsyncEnumerable<SseItem<string>> WithRenderedSourcesAsync(ComponentHtml html, SseItem<string> item)
    {
        yield return item;
        if (item.EventType == "citations" && ParseAnswer(item.Data) is { } answer)
        {
            var sources = await html.RenderAsync<AskSources>(new Dictionary<string, object?>
            {
                [nameof(AskSources.Sources)] = AskSources.Of(answer),
            });
            yield return new SseItem<string>(JsonSerializer.Serialize(new { html = sources }), "sources");
        }
    }

    private static AskAnswer? ParseAnswer(string data)
    {
        try
        {
            return JsonSerializer.Deserialize<AskAnswer>(data, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The search page for <paramref name="search"/> showing the answer to <paramref name="question"/> (none when null).</summary>
    public static string SearchPage(string? search, string? question, Guid? categoryId)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(search))
        {
            query.Add("q=" + Uri.EscapeDataString(search));
        }
        if (question is not null)
        {
            query.Add("ask=" + Uri.EscapeDataString(question));
        }
        if (categoryId is { } category)
        {
            query.Add("categoryId=" + category);
        }
        return "/search" + (query.Count == 0 ? "" : "?" + string.Join('&', query)) + (question is null ? "" : "#ask");
    }

    private static bool WantsEventStream(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
}
