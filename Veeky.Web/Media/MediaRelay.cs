using Microsoft.AspNetCore.Http.Features;

namespace Veeky.Web.Media;

/// <summary>
/// Distributed edition only: passes the API's media links (stream, thumbnails, keyframes, which the API answers with
/// relative, signed paths) through this host, since browsers reach the UI host and not the API behind it. Range
/// requests pass through, so seeking in a video works; bodies are streamed, never buffered.
/// </summary>
public sealed class MediaRelay(HttpClient http)
{
    private static readonly string[] RequestHeaders = ["Range", "If-Range", "If-None-Match", "If-Modified-Since", "Accept"];

    private static readonly string[] ResponseHeaders =
        ["Accept-Ranges", "Content-Range", "ETag", "Last-Modified", "Cache-Control", "Content-Disposition", "Expires"];

    public async Task RelayAsync(HttpContext context)
    {
        var target = context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString;
        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        foreach (var name in RequestHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var name in ResponseHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        context.Response.ContentLength = response.Content.Headers.ContentLength;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        try
        {
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The player moved elsewhere (a seek opens a new range request); nothing to finish.
        }
    }
}
