using System.ComponentModel.DataAnnotations;

namespace Veeky.AI;

/// <summary>Settings of <see cref="OpenAIImageEmbeddingGenerator"/> (section <c>Veeky:AI:ImageEmbeddings</c>).</summary>
/// <remarks>Timeout 60 s: CLIP-sized models embed a batch of keyframes in about a second on a CPU.</remarks>
public sealed class ImageEmbeddingGeneratorOptions() : ModelCallOptions(TimeSpan.FromSeconds(60))
{
    public const string Section = "Veeky:AI:ImageEmbeddings";

    /// <summary>Inputs per request. 16 images of a few hundred kB keep one request body in the low megabytes.</summary>
    [Range(1, 1024)]
    public int BatchSize { get; set; } = 16;
}
