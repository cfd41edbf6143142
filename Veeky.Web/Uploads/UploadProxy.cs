using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Veeky.Web.Api;

namespace Veeky.Web.Uploads;

/// <summary>
/// Hands a browser's multipart upload to the API's <c>POST /api/videos</c>. The request body is passed through as a
/// stream, boundary and all, so a 4 GiB video never sits in this host's memory; the API does the validation.
/// </summary>
public sealed class UploadProxy(HttpClient http)
{
    /// <summary>The field the upload form's antiforgery token travels in; not forwarded to the API.</summary>
    public const string AntiforgeryField = "__RequestVerificationToken";

    public async Task<UploadOutcome> ForwardAsync(HttpContext context, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/videos") { Content = CreateContent(context) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode)
        {
            return new UploadOutcome((int)response.StatusCode, await VeekyApiClient.ReadAsync<VideoSummary>(response, ct), null);
        }
        return new UploadOutcome((int)response.StatusCode, null, await VeekyApiClient.ReadProblemAsync(response, ct));
    }

    private static HttpContent CreateContent(HttpContext context)
    {
        // A form already read (the antiforgery check reads it when no script sent the token as a header) lies in
        // buffered form files on disk: send it again from there. Otherwise the body is still unread: pass it through.
        if (context.Features.Get<IFormFeature>()?.Form is { } form)
        {
            return FromForm(form);
        }
        var content = new StreamContent(context.Request.Body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(context.Request.ContentType!);
        if (context.Request.ContentLength is long length)
        {
            content.Headers.ContentLength = length;
        }
        return content;
    }

    private static MultipartFormDataContent FromForm(IFormCollection form)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, values) in form)
        {
            if (name == AntiforgeryField)
            {
                continue;
            }
            foreach (var value in values)
            {
                content.Add(new StringContent(value ?? ""), name);
            }
        }
        foreach (var file in form.Files)
        {
            var part = new StreamContent(file.OpenReadStream());
            part.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(
                string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType);
            content.Add(part, file.Name, file.FileName);
        }
        return content;
    }

    /// <summary>True when the browser asked for JSON (the upload script) rather than a page (a plain form post).</summary>
    public static bool WantsJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
}
