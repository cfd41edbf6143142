using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.AI;
using Veeky.Search;

namespace Veeky.Api.Search;

/// <summary>
/// The streamed answer of <c>POST /api/ask</c> as Server-Sent Events: a <c>token</c> event <c>{text}</c> per piece
/// the chat model sends, then one <c>citations</c> event <c>{answer, citations, sources}</c> (the JSON answer's shape), then
/// the end of the stream. A model failure mid-answer sends an <c>error</c> event <c>{detail}</c> instead of the
/// citations. The client leaving cancels the model call (the request's abort token flows into the enumerator).
/// </summary>
public sealed class AskStream(
    IAsyncEnumerator<ChatResponseUpdate> updates, ChatResponseUpdate? first, IReadOnlyList<SearchHit> hits, ILogger logger)
    : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "text/event-stream";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var ct = httpContext.RequestAborted;
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx would otherwise hold the tokens back until their buffer fills.
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var answer = new StringBuilder();
        await using (updates)
        {
            try
            {
                var current = first;
                while (current is not null)
                {
                    if (!string.IsNullOrEmpty(current.Text))
                    {
                        answer.Append(current.Text);
                        await WriteAsync(response, "token", new { text = current.Text }, ct);
                    }
                    current = await updates.MoveNextAsync() ? updates.Current : null;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The client went away: the model call is cancelled with it, and nobody is left to tell.
                return;
            }
            catch (Exception ex) when (ModelFailures.IsModelFailure(ex, ct))
            {
                logger.LogWarning(ex, "The chat model failed in the middle of an answer");
                var detail = ModelFailures.Detail(ex, "The chat model stopped answering. Try again in a moment.");
                await TryWriteAsync(response, "error", new { detail }, ct);
                return;
            }
        }
        var text = answer.ToString();
        await TryWriteAsync(response, "citations", AskEndpoint.Respond(text, hits), ct);
    }

    private static async Task TryWriteAsync(HttpResponse response, string name, object data, CancellationToken ct)
    {
        try
        {
            await WriteAsync(response, name, data, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>One event; JSON never contains a raw newline, so the data fits one <c>data:</c> line.</summary>
    private static async Task WriteAsync(HttpResponse response, string name, object data, CancellationToken ct)
    {
        var payload = $"event: {name}\ndata: {JsonSerializer.Serialize(data, Json)}\n\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(payload), ct);
        await response.Body.FlushAsync(ct);
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), [ContentType]));
}
