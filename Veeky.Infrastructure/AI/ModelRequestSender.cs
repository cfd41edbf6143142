using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Veeky.AI;

/// <summary>
/// Sends the requests of the adapters Veeky still writes by hand (image embeddings, the Whisper server) through
/// <see cref="ModelCallHandler"/>, so they follow the same timeout, retry and error rules as the library clients.
/// </summary>
internal sealed class ModelRequestSender
{
    private readonly HttpClient _client;

    /// <param name="http">The factory's client (service discovery, telemetry); the rules run before it.</param>
    public ModelRequestSender(HttpClient http, ModelConnection connection, ModelCallOptions options, bool isOllama, ILogger logger) =>
        _client = new HttpClient(new ModelCallHandler(connection, options, isOllama, logger) { InnerHandler = new Forwarder(http) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>POSTs a JSON body (serialised once, sent again on each attempt) to <paramref name="uri"/>.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(
        Uri uri, byte[] payload, string model, HttpCompletionOption completion, CancellationToken ct) =>
        SendAsync(() =>
        {
            var content = new ByteArrayContent(payload);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        }, model, completion, ct);

    /// <summary>Sends the request built by <paramref name="createRequest"/> and returns a successful response; with
    /// <see cref="HttpCompletionOption.ResponseHeadersRead"/> the body is left to the caller to stream.</summary>
    public Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest, string model, HttpCompletionOption completion, CancellationToken ct)
    {
        var request = createRequest();
        request.Options.Set(ModelCallHandler.ModelKey, model);
        return _client.SendAsync(request, completion, ct);
    }

    /// <summary>Hands each attempt to the factory's client.</summary>
    private sealed class Forwarder(HttpClient http) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
