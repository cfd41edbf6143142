using System.ComponentModel.DataAnnotations;

namespace Veeky.AI;

/// <summary>Settings of the Ollama embedding generator (<see cref="OllamaModelClients.CreateEmbeddingGenerator"/>) (section <c>Veeky:AI:Embeddings</c>).</summary>
/// <remarks>Timeout 60 s: a batch of short texts embeds in well under a second once the model is loaded.</remarks>
public sealed class OllamaEmbeddingGeneratorOptions() : ModelCallOptions(TimeSpan.FromSeconds(60))
{
    public const string Section = "Veeky:AI:Embeddings";

    /// <summary>Inputs per request. 32 keeps a 10-minute video's segments to a few calls while a request stays
    /// small enough to finish well inside the timeout.</summary>
    [Range(1, 2048)]
    public int BatchSize { get; set; } = 32;
}
