using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Web.Uploads;

/// <summary>
/// Hands a browser's multipart upload to the API's <c>POST /api/videos</c>. The request body is passed through as a
/// stream, boundary and all, so a 4 GiB video never sits in this host's memory or disk; the API does the validation
/// (and ignores the form's antiforgery field).
/// </summary>
public sealed class UploadProxy(HttpClient http)
{
    /// <param name="body">The request body from its first byte (see <see cref="UploadFormToken.Body"/>).</param>
    public async Task<UploadOutcome> ForwardAsync(HttpRequest incoming, Stream body, CancellationToken ct)
    {
        var content = new StreamContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(incoming.ContentType!);
        // The same length lets the API refuse an upload above its limit before a byte of it is read.
        content.Headers.ContentLength = incoming.ContentLength;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/videos") { Content = content };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.IsSuccessStatusCode)
        {
            return new UploadOutcome((int)response.StatusCode, await VeekyApiClient.ReadAsync<VideoSummary>(response, ct), null);
        }
        return new UploadOutcome((int)response.StatusCode, null, await VeekyApiClient.ReadProblemAsync(response, ct));
    }

    /// <summary>True when the browser asked for JSON (the upload script) rather than a page (a plain form post).</summary>
    public static bool WantsJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));
}
