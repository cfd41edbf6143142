using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Veeky.AI;

/// <summary><see cref="IChatClient"/> over Ollama's <c>POST /api/chat</c>: images, JSON-schema output, streaming.</summary>
public sealed class OllamaChatClient : IChatClient
{
    private const string Provider = "ollama";
    private static readonly JsonElement JsonFormat = JsonSerializer.SerializeToElement("json");

    private readonly ModelConnection _connection;
    private readonly string _connectionName;
    private readonly ModelRequestSender _sender;
    private readonly Uri _chatUri;
    private readonly TimeSpan _timeout;

    /// <param name="http">A client without its own timeout; <paramref name="options"/> sets it per attempt.</param>
    /// <param name="connectionName">Named in errors so the reader knows which connection string to fix.</param>
    public OllamaChatClient(HttpClient http, ModelConnection connection, OllamaChatClientOptions? options = null,
        ILogger<OllamaChatClient>? logger = null, string connectionName = "ollama-chat")
    {
        options ??= new OllamaChatClientOptions();
        _connection = connection;
        _connectionName = connectionName;
        _timeout = options.Timeout;
        _sender = new ModelRequestSender(http, connection, options, isOllama: true, logger ?? NullLogger<OllamaChatClient>.Instance);
        _chatUri = connection.Resolve("api/chat");
        Metadata = new ChatClientMetadata(Provider, connection.Endpoint, connection.Model);
    }

    public ChatClientMetadata Metadata { get; }

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (model, payload) = CreatePayload(messages, options, stream: false);
        using var activity = GenAITelemetry.Start("chat", Provider, model, _connection.Endpoint);
        GenAITelemetry.ChatRequest(activity, options);
        try
        {
            using var response = await _sender.PostJsonAsync(_chatUri, payload, model, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var answer = await response.Content.ReadFromJsonAsync<OllamaChatResponse>(OllamaJson.Options, cancellationToken)
                ?? throw new ModelServerException($"The Ollama server at {_connection.Endpoint} sent an empty chat answer.");
            if (answer.Error is not null)
            {
                throw new ModelServerException($"The Ollama server at {_connection.Endpoint} failed for model {model}: {answer.Error}");
            }
            var usage = Usage(answer);
            var result = new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.Message?.Content ?? ""))
            {
                ModelId = answer.Model ?? model,
                CreatedAt = answer.CreatedAt,
                FinishReason = FinishReason(answer.DoneReason),
                Usage = usage,
                RawRepresentation = answer,
            };
            GenAITelemetry.Succeeded(activity, result.ModelId, usage?.InputTokenCount, usage?.OutputTokenCount, answer.DoneReason);
            return result;
        }
        catch (Exception ex)
        {
            GenAITelemetry.Failed(activity, ex);
            throw;
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (model, payload) = CreatePayload(messages, options, stream: true);
        using var activity = GenAITelemetry.Start("chat", Provider, model, _connection.Endpoint);
        GenAITelemetry.ChatRequest(activity, options);
        // The whole stream gets the timeout, not just the first byte: a model stuck mid-answer must not hang a job.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        using var response = await StartStreamAsync(payload, model, activity, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var responseId = Guid.NewGuid().ToString("N");
        while (await ReadLineAsync(reader, model, activity, deadline.Token, cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var chunk = ParseChunk(line, model, activity);
            var update = new ChatResponseUpdate(ChatRole.Assistant, chunk.Message?.Content ?? "")
            {
                ModelId = chunk.Model ?? model,
                CreatedAt = chunk.CreatedAt,
                ResponseId = responseId,
                MessageId = responseId,
                RawRepresentation = chunk,
            };
            if (chunk.Done)
            {
                update.FinishReason = FinishReason(chunk.DoneReason);
                var usage = Usage(chunk);
                if (usage is not null)
                {
                    update.Contents.Add(new UsageContent(usage));
                }
                GenAITelemetry.Succeeded(activity, update.ModelId, usage?.InputTokenCount, usage?.OutputTokenCount, chunk.DoneReason);
            }
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(ChatClientMetadata)) return Metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        return null;
    }

    /// <summary>The HttpClient belongs to the factory that made it; nothing to release here.</summary>
    public void Dispose()
    {
    }

    private (string Model, byte[] Payload) CreatePayload(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var model = _connection.RequireModel(options?.ModelId, _connectionName);
        var request = new OllamaChatRequest(
            model,
            messages.Select(ToOllama).ToList(),
            stream,
            options?.ResponseFormat switch
            {
                ChatResponseFormatJson { Schema: { } schema } => schema,
                ChatResponseFormatJson => JsonFormat,
                _ => null,
            },
            ModelOptions(options));
        return (model, JsonSerializer.SerializeToUtf8Bytes(request, OllamaJson.Options));
    }

    private static OllamaModelOptions? ModelOptions(ChatOptions? options)
    {
        if (options is null
            || options is { Temperature: null, MaxOutputTokens: null, Seed: null, TopP: null, TopK: null, StopSequences: null or { Count: 0 } })
        {
            return null;
        }
        return new OllamaModelOptions(options.Temperature, options.MaxOutputTokens, options.Seed, options.TopP, options.TopK,
            options.StopSequences is { Count: > 0 } stop ? stop : null);
    }

    private static OllamaMessage ToOllama(ChatMessage message)
    {
        var images = message.Contents
            .OfType<DataContent>()
            .Where(content => content.HasTopLevelMediaType("image"))
            // From the bytes: Base64Data would build the whole data URI first and then cut it.
            .Select(content => Convert.ToBase64String(content.Data.Span))
            .ToList();
        return new OllamaMessage(message.Role.Value, message.Text, images.Count > 0 ? images : null);
    }


    private async Task<HttpResponseMessage> StartStreamAsync(byte[] payload, string model, Activity? activity, CancellationToken ct)
    {
        try
        {
            return await _sender.PostJsonAsync(_chatUri, payload, model, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception ex)
        {
            GenAITelemetry.Failed(activity, ex);
            throw;
        }
    }

    private async Task<string?> ReadLineAsync(StreamReader reader, string model, Activity? activity, CancellationToken deadline, CancellationToken ct)
    {
        try
        {
            return await reader.ReadLineAsync(deadline);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            var timeout = _sender.TimedOut(model, ex);
            GenAITelemetry.Failed(activity, timeout);
            throw timeout;
        }
        catch (Exception ex)
        {
            GenAITelemetry.Failed(activity, ex);
            throw;
        }
    }

    private OllamaChatResponse ParseChunk(string line, string model, Activity? activity)
    {
        var chunk = JsonSerializer.Deserialize<OllamaChatResponse>(line, OllamaJson.Options);
        if (chunk?.Error is null && chunk is not null)
        {
            return chunk;
        }
        var failure = new ModelServerException(
            $"The Ollama server at {_connection.Endpoint} failed mid-answer for model {model}: {chunk?.Error ?? "empty line"}");
        GenAITelemetry.Failed(activity, failure);
        throw failure;
    }

    private static UsageDetails? Usage(OllamaChatResponse answer) =>
        answer.PromptEvalCount is null && answer.EvalCount is null
            ? null
            : new UsageDetails
            {
                InputTokenCount = answer.PromptEvalCount,
                OutputTokenCount = answer.EvalCount,
                TotalTokenCount = (answer.PromptEvalCount ?? 0) + (answer.EvalCount ?? 0),
            };

    private static ChatFinishReason? FinishReason(string? doneReason) => doneReason switch
    {
        null or "" => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        _ => new ChatFinishReason(doneReason),
    };
}
