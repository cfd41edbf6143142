using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Veeky.AI;

/// <summary>
/// Image embeddings from an OpenAI-compatible <c>POST /v1/embeddings</c> that accepts images as data URIs (Infinity
/// and other CLIP/SigLIP servers), and text embeddings of search queries from the same model, so both land in the
/// same vector space. The model is usually chosen per category (<see cref="EmbeddingGenerationOptions.ModelId"/>).
/// </summary>
/// <remarks>
/// Not Microsoft.Extensions.AI.OpenAI: its generator wraps an OpenAI <c>EmbeddingClient</c>, which is made for one
/// model, while Veeky picks the image model per category on every call; and that client asks for base64-encoded
/// vectors (<c>encoding_format</c>), which this adapter never sent and not every CLIP server speaks. Spans and logs come from the builder in <see cref="AIServiceCollectionExtensions"/>.
/// </remarks>
public sealed class OpenAIImageEmbeddingGenerator
    : IEmbeddingGenerator<DataContent, Embedding<float>>, IEmbeddingGenerator<string, Embedding<float>>
{
    private const string Provider = "openai";
    // The default encoder escapes every '+' (an HTML-sensitive character), and base64 images are full of them: 6 bytes
    // for 1 and a slower write. These bodies go to a model server, never into HTML.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ModelConnection _connection;
    private readonly ModelRequestSender _sender;
    private readonly Uri _embeddingsUri;
    private readonly int _batchSize;

    public OpenAIImageEmbeddingGenerator(HttpClient http, ModelConnection connection, ImageEmbeddingGeneratorOptions? options = null,
        ILogger<OpenAIImageEmbeddingGenerator>? logger = null)
    {
        options ??= new ImageEmbeddingGeneratorOptions();
        _connection = connection;
        _batchSize = options.BatchSize;
        _sender = new ModelRequestSender(http, connection, options, isOllama: false, logger ?? NullLogger<OpenAIImageEmbeddingGenerator>.Instance);
        _embeddingsUri = connection.ResolveOpenAI("embeddings");
        Metadata = new EmbeddingGeneratorMetadata(Provider, connection.Endpoint, connection.Model);
    }

    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <summary>Embeds images; each must be an image <see cref="DataContent"/> (sent as a base64 data URI).</summary>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<DataContent> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        EmbedAsync(values.Select(ToDataUri).ToList(), options, cancellationToken);

    /// <summary>Embeds text (a search query) with the same model, for searching the image vectors.</summary>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        EmbedAsync(values.ToList(), options, cancellationToken);

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

    private static string ToDataUri(DataContent image)
    {
        if (!image.HasTopLevelMediaType("image"))
        {
            throw new ArgumentException($"Only images can be embedded here, not {image.MediaType}.", nameof(image));
        }
        return image.Uri;
    }

    private async Task<GeneratedEmbeddings<Embedding<float>>> EmbedAsync(
        IReadOnlyList<string> inputs, EmbeddingGenerationOptions? options, CancellationToken ct)
    {
        var model = _connection.RequireModel(options?.ModelId, "image-embeddings");
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long inputTokens = 0;
        foreach (var batch in inputs.Chunk(_batchSize))
        {
            var payload = JsonSerializer.SerializeToUtf8Bytes(new EmbeddingsRequest(model, batch, options?.Dimensions), Json);
            using var response = await _sender.PostJsonAsync(_embeddingsUri, payload, model, HttpCompletionOption.ResponseContentRead, ct);
            var answer = await response.Content.ReadFromJsonAsync<EmbeddingsResponse>(Json, ct);
            if (answer?.Data is not { } data || data.Count != batch.Length)
            {
                throw new ModelServerException(
                    $"The embeddings server at {_connection.Endpoint} returned {answer?.Data?.Count ?? 0} embeddings for {batch.Length} inputs (model {model}).");
            }
            var createdAt = DateTimeOffset.UtcNow;
            result.AddRange(data.OrderBy(item => item.Index)
                .Select(item => new Embedding<float>(item.Embedding) { ModelId = answer.Model ?? model, CreatedAt = createdAt }));
            inputTokens += answer.Usage?.PromptTokens ?? 0;
        }
        result.Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = inputTokens };
        return result;
    }


    private sealed record EmbeddingsRequest(
        string Model,
        IReadOnlyList<string> Input,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        int? Dimensions);

    private sealed record EmbeddingsResponse(string? Model, IReadOnlyList<EmbeddingItem>? Data, EmbeddingsUsage? Usage);

    private sealed record EmbeddingItem(float[] Embedding, int Index);

    private sealed record EmbeddingsUsage(
        [property: System.Text.Json.Serialization.JsonPropertyName("prompt_tokens")] long? PromptTokens);
}
