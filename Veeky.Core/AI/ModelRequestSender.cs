using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Veeky.AI;

/// <summary>
/// Sends one model call with the rules every adapter shares: a timeout per attempt, retries with exponential backoff
/// and jitter on 5xx, 429 and connection errors (never on other 4xx: asking again will not change the answer), and
/// errors turned into sentences that name the server and the model.
/// </summary>
internal sealed class ModelRequestSender
{
    private readonly HttpClient _http;
    private readonly ModelConnection _connection;
    private readonly ModelCallOptions _options;
    private readonly bool _isOllama;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public ModelRequestSender(HttpClient http, ModelConnection connection, ModelCallOptions options, bool isOllama, ILogger logger)
    {
        _http = http;
        _connection = connection;
        _options = options;
        _isOllama = isOllama;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(response => IsTransient(response.StatusCode)),
                OnRetry = args =>
                {
                    logger.LogWarning(args.Outcome.Exception,
                        "Model server {Endpoint} failed ({Status}); retry {Attempt} in {Delay} ms",
                        connection.Endpoint, args.Outcome.Result?.StatusCode, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }
        // Inside the retry, so each attempt gets the whole timeout.
        builder.AddTimeout(options.Timeout);
        _pipeline = builder.Build();
    }

    public Uri Endpoint => _connection.Endpoint;

    /// <summary>POSTs a JSON body (serialised once, sent again on each attempt) to <paramref name="uri"/>.</summary>
    public Task<HttpResponseMessage> PostJsonAsync(
        Uri uri, byte[] payload, string model, HttpCompletionOption completion, CancellationToken ct) =>
        SendAsync(() =>
        {
            var content = new ByteArrayContent(payload);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        }, model, completion, ct);

    /// <summary>Sends the request built by <paramref name="createRequest"/> (once per attempt) and returns a successful
    /// response; with <see cref="HttpCompletionOption.ResponseHeadersRead"/> the body is left to the caller to stream.</summary>
    public async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest, string model, HttpCompletionOption completion, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async token => await _http.SendAsync(createRequest(), completion, token), ct);
        }
        catch (TimeoutRejectedException ex)
        {
            throw TimedOut(model, ex);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw new ModelServerException($"Could not reach the model server at {_connection.Endpoint} (model {model}): {ex.Message}", null, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var message = await ReadErrorAsync(response, ct);
            if (_isOllama && response.StatusCode == HttpStatusCode.NotFound && message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelNotFoundException(model, _connection.Endpoint, message);
            }
            throw new ModelServerException(
                $"The model server at {_connection.Endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase} for model {model}: {message}",
                response.StatusCode);
        }
    }

    /// <summary>The exception for a call that outlived <see cref="ModelCallOptions.Timeout"/>.</summary>
    public TimeoutException TimedOut(string model, Exception? inner = null) =>
        new($"The model server at {_connection.Endpoint} did not answer within {_options.Timeout.TotalSeconds:0.#} s (model {model}).", inner);

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status == HttpStatusCode.TooManyRequests || status == HttpStatusCode.RequestTimeout;

    /// <summary>Ollama says <c>{"error": "…"}</c>, OpenAI-compatible servers <c>{"error": {"message": "…"}}</c>;
    /// anything else is shown as the start of the body.</summary>
    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String) return error.GetString() ?? "";
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var inner)) return inner.ToString();
            }
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("detail", out var detail))
            {
                return detail.ToString();
            }
        }
        catch (JsonException)
        {
            // Not JSON: a proxy's HTML page or plain text; show it as it is.
        }
        body = body.Trim();
        return body.Length <= 500 ? body : body[..500] + "…";
    }
}
