using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Veeky.AI;

/// <summary>
/// The rules every model call follows, as the innermost handler of the adapters' HttpClient (OllamaSharp's, and the
/// hand-written OpenAI-compatible adapters' through <see cref="ModelRequestSender"/>): a deadline per attempt that
/// covers the whole answer, streamed or not; retries with exponential backoff and jitter on 5xx, 429 and connection
/// errors (never on other 4xx: asking again will not change the answer); and errors turned into sentences that name
/// the server and the model (<see cref="ModelNotFoundException"/>, <see cref="ModelServerException"/>,
/// <see cref="TimeoutException"/>), whichever library made the request.
/// </summary>
public sealed class ModelCallHandler : DelegatingHandler
{
    /// <summary>The model a request asks for, when the sender knows it; otherwise it is read from the JSON body.</summary>
    public static readonly HttpRequestOptionsKey<string> ModelKey = new("veeky.model");

    private readonly ModelConnection _connection;
    private readonly ModelCallOptions _options;
    private readonly bool _isOllama;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    /// <param name="isOllama">Ollama says a missing model with a 404 whose message contains "not found".</param>
    public ModelCallHandler(ModelConnection connection, ModelCallOptions options, bool isOllama, ILogger logger)
    {
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
                // A timeout is not retried: a model that took too long once will take too long again.
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
        _retry = builder.Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Read once, so every attempt sends the same bytes (a request message can be sent only once).
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        HttpResponseMessage response;
        try
        {
            response = await _retry.ExecuteAsync(token => AttemptAsync(request, body, token), cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw new ModelServerException(
                $"Could not reach the model server at {_connection.Endpoint} (model {ModelOf(request, body)}): {ex.Message}", null, ex);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            var model = ModelOf(request, body);
            var message = await ReadErrorAsync(response, cancellationToken);
            if (_isOllama && response.StatusCode == HttpStatusCode.NotFound && message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelNotFoundException(model, _connection.Endpoint, message);
            }
            throw new ModelServerException(
                $"The model server at {_connection.Endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase} for model {model}: {message}",
                response.StatusCode);
        }
    }

    private async ValueTask<HttpResponseMessage> AttemptAsync(HttpRequestMessage original, byte[]? body, CancellationToken ct)
    {
        // The deadline outlives this method: the answer's body is read through it, so a stream that stalls mid-answer
        // fails as a timeout too. The response owns it from here on.
        var deadline = new CancellationTokenSource(_options.Timeout);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            var response = await base.SendAsync(Copy(original, body), linked.Token);
            response.Content = new DeadlineContent(response.Content, deadline, () => TimedOut(original, body));
            return response;
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            deadline.Dispose();
            throw TimedOut(original, body, ex);
        }
        catch
        {
            deadline.Dispose();
            throw;
        }
    }

    private TimeoutException TimedOut(HttpRequestMessage request, byte[]? body, Exception? inner = null) =>
        new($"The model server at {_connection.Endpoint} did not answer within {_options.Timeout.TotalSeconds:0.#} s (model {ModelOf(request, body)}).", inner);

    private static HttpRequestMessage Copy(HttpRequestMessage original, byte[]? body)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri) { Version = original.Version, VersionPolicy = original.VersionPolicy };
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in original.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
        return copy;
    }

    /// <summary>The model named by the sender, else the <c>model</c> of a JSON body (OllamaSharp and OpenAI-style
    /// requests), else the connection's. Only read when something went wrong.</summary>
    private string ModelOf(HttpRequestMessage request, byte[]? body)
    {
        if (request.Options.TryGetValue(ModelKey, out var named))
        {
            return named;
        }
        if (body is { Length: > 0 } && body[0] == (byte)'{')
        {
            try
            {
                var reader = new Utf8JsonReader(body);
                while (reader.Read())
                {
                    if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("model"))
                    {
                        reader.Read();
                        return reader.GetString() ?? _connection.Model ?? "(none)";
                    }
                    if (reader.CurrentDepth == 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        reader.Skip();
                    }
                }
            }
            catch (JsonException)
            {
                // Not the JSON it looked like; fall back to the connection's model.
            }
        }
        return _connection.Model ?? "(none)";
    }

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

    /// <summary>An answer's body read under the attempt's deadline; reading past it fails as a timeout.</summary>
    private sealed class DeadlineContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly CancellationTokenSource _deadline;
        private readonly Func<TimeoutException> _timedOut;

        public DeadlineContent(HttpContent inner, CancellationTokenSource deadline, Func<TimeoutException> timedOut)
        {
            _inner = inner;
            _deadline = deadline;
            _timedOut = timedOut;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
            new DeadlineStream(await _inner.ReadAsStreamAsync(cancellationToken), _deadline.Token, _timedOut);

        protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            await using var source = await CreateContentReadStreamAsync(cancellationToken);
            await source.CopyToAsync(stream, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _deadline.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    private sealed class DeadlineStream(Stream inner, CancellationToken deadline, Func<TimeoutException> timedOut) : Stream
    {
        // A synchronous read cannot take a token: closing the stream at the deadline is what ends it.
        private readonly CancellationTokenRegistration _closeAtDeadline = deadline.UnsafeRegister(s => ((Stream)s!).Dispose(), inner);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline) : null;
            try
            {
                return await inner.ReadAsync(buffer, linked?.Token ?? deadline);
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                                       && ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                throw timedOut();
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return inner.Read(buffer, offset, count);
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                throw timedOut();
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _closeAtDeadline.Dispose();
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
