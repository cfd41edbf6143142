using Microsoft.Extensions.AI;

namespace Veeky.Indexer.Enrichment;

/// <summary>Embeddings of segments: texts in batches of <see cref="EnrichmentOptions.EmbeddingBatchSize"/>, one call
/// per batch; keyframes likewise with the image model the video's category names.</summary>
public sealed class SegmentEmbedder(EnrichmentOptions options)
{
    public async Task<IReadOnlyList<float[]>> EmbedTextsAsync(IEmbeddingGenerator<string, Embedding<float>> generator,
        IReadOnlyList<string> texts, CancellationToken ct) =>
        await InBatchesAsync(texts, batch => generator.GenerateAsync(batch, TextOptions(), ct));

    /// <summary>The Configs embedding model when one is set; null leaves the connection's model.</summary>
    private EmbeddingGenerationOptions? TextOptions() =>
        string.IsNullOrWhiteSpace(options.EmbeddingModel?.Model) ? null : new EmbeddingGenerationOptions { ModelId = options.EmbeddingModel.Model };

    public async Task<IReadOnlyList<float[]>> EmbedImagesAsync(IEmbeddingGenerator<DataContent, Embedding<float>> generator,
        string model, IReadOnlyList<byte[]> jpegs, CancellationToken ct)
    {
        var generation = new EmbeddingGenerationOptions { ModelId = model };
        var images = jpegs.Select(j => new DataContent(j, "image/jpeg")).ToList();
        return await InBatchesAsync(images, batch => generator.GenerateAsync(batch, generation, ct));
    }

    private async Task<IReadOnlyList<float[]>> InBatchesAsync<TInput>(IReadOnlyList<TInput> inputs,
        Func<IReadOnlyList<TInput>, Task<GeneratedEmbeddings<Embedding<float>>>> generate)
    {
        var vectors = new List<float[]>(inputs.Count);
        foreach (var batch in inputs.Chunk(Math.Max(1, options.EmbeddingBatchSize)))
        {
            var embeddings = await generate(batch);
            if (embeddings.Count != batch.Length)
            {
                throw new InvalidDataException($"The embedding model returned {embeddings.Count} vectors for {batch.Length} inputs.");
            }
            vectors.AddRange(embeddings.Select(e => e.Vector.ToArray()));
        }
        return vectors;
    }
}
