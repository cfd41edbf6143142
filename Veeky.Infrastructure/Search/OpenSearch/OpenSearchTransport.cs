using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Veeky.Search.OpenSearch;

/// <summary>
/// Sends REST requests to OpenSearch and retries the answers that say "later": 429 (honouring Retry-After) and the
/// 5xx of a node restarting or a primary moving. Every other answer, success or not, is handed back to the caller,
/// which knows which errors it expects (a missing index, an index that already exists).
/// </summary>
public sealed class OpenSearchTransport(IHttpClientFactory httpClients, IOptions<OpenSearchOptions> options, ILogger<OpenSearchTransport> logger)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private static readonly MediaTypeHeaderValue NdJson = new("application/x-ndjson") { CharSet = "utf-8" };

    /// <summary>Name of the HttpClient the factory hands out for OpenSearch, so hosts can configure it.</summary>
    public const string HttpClientName = "opensearch";

    private readonly OpenSearchOptions _options = options.Value;

    public Task<OpenSearchResponse> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct) =>
        SendAsync(method, path, body?.ToJsonString(), Json, ct);

    /// <summary>Sends newline-delimited JSON (one document per line, a final newline as <c>_bulk</c> requires).</summary>
    public Task<OpenSearchResponse> SendNdJsonAsync(string path, IEnumerable<JsonNode> lines, CancellationToken ct)
    {
        var body = new StringBuilder();
        foreach (var line in lines)
        {
            body.Append(line.ToJsonString()).Append('\n');
        }
        return SendAsync(HttpMethod.Post, path, body.ToString(), NdJson, ct);
    }

    private async Task<OpenSearchResponse> SendAsync(HttpMethod method, string path, string? body, MediaTypeHeaderValue contentType,
        CancellationToken ct)
    {
        var endpoint = _options.Endpoint ?? throw new InvalidOperationException("ConnectionStrings:search is not set.");
        // Appended, not resolved against the endpoint, so a cluster behind a proxy path keeps that path; user info in the
        // URL (https://user:password@host:9200) becomes basic authentication, which HttpClient does not do by itself.
        var uri = new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + path);
        if (endpoint.UserInfo.Length > 0)
        {
            uri = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
        }
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, uri);
            if (endpoint.UserInfo.Length > 0)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(endpoint.UserInfo))));
            }
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = contentType;
            }

            HttpResponseMessage answer;
            try
            {
                answer = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct);
            }
            catch (HttpRequestException e) when (attempt < _options.MaxRetries)
            {
                logger.LogWarning("OpenSearch {Method} {Path} could not connect ({Error}); retry {Attempt}", method, path, e.Message, attempt + 1);
                await Task.Delay(Backoff(attempt), ct);
                continue;
            }
            catch (HttpRequestException e)
            {
                throw new OpenSearchException($"OpenSearch {method} {path} could not connect: {e.Message}");
            }

            using (answer)
            {
                var status = (int)answer.StatusCode;
                if (IsTransient(answer.StatusCode) && attempt < _options.MaxRetries)
                {
                    var wait = RetryAfter(answer) ?? Backoff(attempt);
                    logger.LogWarning("OpenSearch {Method} {Path} answered {Status}; retry {Attempt} in {Wait}", method, path, status, attempt + 1, wait);
                    await Task.Delay(wait, ct);
                    continue;
                }
                var text = await answer.Content.ReadAsStringAsync(ct);
                return new OpenSearchResponse(status, Parse(text));
            }
        }
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
            or HttpStatusCode.GatewayTimeout or HttpStatusCode.InternalServerError;

    private TimeSpan Backoff(int attempt) => _options.RetryBaseDelay * Math.Pow(2, attempt);

    private TimeSpan? RetryAfter(HttpResponseMessage answer)
    {
        var header = answer.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is null)
        {
            return null;
        }
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.MaxRetryDelay ? _options.MaxRetryDelay : wait;
    }

    private static JsonNode? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
