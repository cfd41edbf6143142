using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Veeky.AI;

/// <summary>Text embeddings from Ollama's <c>POST /api/embed</c>, sent in batches of
/// <see cref="OllamaEmbeddingGeneratorOptions.BatchSize"/> inputs.</summary>
public sealed class OllamaEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private const string Provider = "ollama";

    private readonly ModelConnection _connection;
    private readonly string _connectionName;
    private readonly ModelRequestSender _sender;
    private readonly Uri _embedUri;
    private readonly int _batchSize;

    public OllamaEmbeddingGenerator(HttpClient http, ModelConnection connection, OllamaEmbeddingGeneratorOptions? options = null,
        ILogger<OllamaEmbeddingGenerator>? logger = null, string connectionName = "ollama-embed")
    {
        options ??= new OllamaEmbeddingGeneratorOptions();
        _connection = connection;
        _connectionName = connectionName;
        _batchSize = options.BatchSize;
        _sender = new ModelRequestSender(http, connection, options, isOllama: true, logger ?? NullLogger<OllamaEmbeddingGenerator>.Instance);
        _embedUri = connection.Resolve("api/embed");
        Metadata = new EmbeddingGeneratorMetadata(Provider, connection.Endpoint, connection.Model);
    }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var model = _connection.RequireModel(options?.ModelId, _connectionName);
        var inputs = values as IReadOnlyList<string> ?? values.ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long inputTokens = 0;
        string? responseModel = null;
        foreach (var batch in inputs.Chunk(_batchSize))
        {
            using var activity = GenAITelemetry.Start("embeddings", Provider, model, _connection.Endpoint);
            try
            {
                var payload = JsonSerializer.SerializeToUtf8Bytes(new OllamaEmbedRequest(model, batch, options?.Dimensions), OllamaJson.Options);
                using var response = await _sender.PostJsonAsync(_embedUri, payload, model, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var answer = await response.Content.ReadFromJsonAsync<OllamaEmbedResponse>(OllamaJson.Options, cancellationToken);
                if (answer?.Embeddings is not { } vectors || vectors.Length != batch.Length)
                {
                    throw new ModelServerException(
                        $"The Ollama server at {_connection.Endpoint} returned {answer?.Embeddings?.Length ?? 0} embeddings for {batch.Length} inputs (model {model}).");
                }
                responseModel = answer.Model ?? model;
                var createdAt = DateTimeOffset.UtcNow;
                result.AddRange(vectors.Select(vector => new Embedding<float>(vector) { ModelId = responseModel, CreatedAt = createdAt }));
                inputTokens += answer.PromptEvalCount ?? 0;
                GenAITelemetry.Succeeded(activity, responseModel, answer.PromptEvalCount, null);
            }
            catch (Exception ex)
            {
                GenAITelemetry.Failed(activity, ex);
                throw;
            }
        }
        result.Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = inputTokens };
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return Metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        return null;
    }

    /// <summary>The HttpClient belongs to the factory that made it; nothing to release here.</summary>
    public void Dispose()
    {
    }

}
