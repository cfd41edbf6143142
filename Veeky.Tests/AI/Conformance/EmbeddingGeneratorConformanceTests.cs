using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Veeky.Tests.AI.Conformance;

/// <summary>What Veeky relies on from a text <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>; run against the
/// fake server always and against a real Ollama when one is configured.</summary>
public abstract class EmbeddingGeneratorConformanceTests
{
    protected abstract Task<IEmbeddingGenerator<string, Embedding<float>>> CreateGeneratorAsync();

    [Fact]
    public async Task Each_input_gets_one_unit_vector_in_input_order_all_of_one_length()
    {
        var generator = await CreateGeneratorAsync();
        string[] texts = ["a red car in the street", "a cat asleep on a sofa", "a red car in the street"];

        var embeddings = await generator.GenerateAsync(texts);

        Assert.Equal(3, embeddings.Count);
        Assert.Single(embeddings.Select(e => e.Vector.Length).Distinct());
        Assert.All(embeddings, e => Assert.Equal(1.0, TensorPrimitives.Norm(e.Vector.Span), 2));
        Assert.True(TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[2].Vector.Span) > 0.999f, "the same text embeds the same");
        Assert.True(TensorPrimitives.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span) < 0.999f, "different texts embed differently");
    }

    [Fact]
    public async Task Nothing_to_embed_gives_nothing_back()
    {
        var generator = await CreateGeneratorAsync();

        Assert.Empty(await generator.GenerateAsync([]));
    }

    [Fact]
    public async Task Usage_counts_the_input_tokens()
    {
        var generator = await CreateGeneratorAsync();

        var embeddings = await generator.GenerateAsync(["one short sentence to count"]);

        Assert.True(embeddings.Usage?.InputTokenCount > 0);
    }

    [Fact]
    public async Task It_describes_itself_through_GetService()
    {
        var generator = await CreateGeneratorAsync();

        Assert.NotNull(generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }
}
