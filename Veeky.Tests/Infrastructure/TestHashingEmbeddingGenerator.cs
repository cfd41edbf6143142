using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// TEST DOUBLE, not a model: a deterministic embedding generator for driving the vector search path in tests. Each word
/// is lower-cased, mapped through a small synonym table to a concept, and hashed into one of 384 dimensions with a
/// hashed sign; the sum is L2-normalised. Texts sharing words (or synonyms) point the same way, others are near
/// orthogonal, so a query can find a segment "by meaning" without sharing a single word with it.
/// </summary>
public sealed class TestHashingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 384;

    /// <summary>Words that mean the same concept. Deliberately tiny: just enough for semantic-only matches in tests.</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["doctor"] = "physician", ["physician"] = "physician", ["medic"] = "physician",
        ["car"] = "automobile", ["automobile"] = "automobile", ["vehicle"] = "automobile",
        ["puppy"] = "dog", ["dog"] = "dog", ["hound"] = "dog",
        ["ocean"] = "sea", ["sea"] = "sea", ["waves"] = "sea",
    };

    private readonly EmbeddingGeneratorMetadata _metadata = new(nameof(TestHashingEmbeddingGenerator), defaultModelId: "test-hashing-384", defaultModelDimensions: Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v))));
        return Task.FromResult(embeddings);
    }

    /// <summary>The embedding of one text, synchronously (the generator does no I/O).</summary>
    public static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in Words(text))
        {
            var concept = Synonyms.GetValueOrDefault(word, word);
            var hash = Fnv1a(concept);
            vector[hash % Dimensions] += (hash & 0x8000_0000) == 0 ? 1f : -1f;
        }
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }
        return vector;
    }

    /// <summary>FNV-1a: stable across processes and runs, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return hash;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
