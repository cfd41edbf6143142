using System.Text.Json;
using System.Text.Json.Serialization;

namespace Veeky.AI;

/// <summary>JSON settings for Ollama's API: snake_case names, nulls left out.</summary>
internal static class OllamaJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = ModelJson.Encoder,
    };
}

/// <summary>Body of <c>POST /api/chat</c>.</summary>
internal sealed record OllamaChatRequest(
    string Model,
    IReadOnlyList<OllamaMessage> Messages,
    bool Stream,
    JsonElement? Format,
    OllamaModelOptions? Options);

/// <summary>One chat message; images are base64 without a data: prefix.</summary>
internal sealed record OllamaMessage(string Role, string Content, IReadOnlyList<string>? Images = null);

/// <summary>The sampling options Veeky sets; Ollama reads them under <c>options</c>.</summary>
internal sealed record OllamaModelOptions(float? Temperature, int? NumPredict, long? Seed, float? TopP, int? TopK, IList<string>? Stop);

/// <summary>A whole chat answer, or one line of a streamed one (the last has <c>done: true</c> and the counts).</summary>
internal sealed record OllamaChatResponse(
    string? Model,
    DateTimeOffset? CreatedAt,
    OllamaMessage? Message,
    bool Done,
    string? DoneReason,
    long? PromptEvalCount,
    long? EvalCount,
    string? Error);

/// <summary>Body of <c>POST /api/embed</c>.</summary>
internal sealed record OllamaEmbedRequest(string Model, IReadOnlyList<string> Input, int? Dimensions);

/// <summary>Answer of <c>POST /api/embed</c>: one vector per input, in order.</summary>
internal sealed record OllamaEmbedResponse(string? Model, float[][]? Embeddings, long? PromptEvalCount);

/// <summary>Answer of <c>GET /api/tags</c>: the models the server has pulled.</summary>
internal sealed record OllamaTagsResponse(IReadOnlyList<OllamaModelTag>? Models);

/// <summary>One pulled model (<c>llama3.2:latest</c>).</summary>
internal sealed record OllamaModelTag(string? Name, string? Model);
