using Microsoft.Extensions.AI;

namespace Veeky.AI;

/// <summary>
/// Sends at most <c>batchSize</c> inputs per call to the generator below (one request to the server each), so a long
/// video's segments go out in requests that finish well inside the timeout, and puts the vectors back in order.
/// Also asks for a model up front: without one on the connection or the call, nothing is sent.
/// </summary>
public sealed class EmbeddingBatches<TInput>(
    IEmbeddingGenerator<TInput, Embedding<float>> inner, int batchSize, ModelConnection connection, string connectionName)
    : DelegatingEmbeddingGenerator<TInput, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<TInput> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        connection.RequireModel(options?.ModelId, connectionName);
        var inputs = values as IReadOnlyList<TInput> ?? values.ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long inputTokens = 0;
        foreach (var batch in inputs.Chunk(batchSize))
        {
            var embeddings = await base.GenerateAsync(batch, options, cancellationToken);
            if (embeddings.Count != batch.Length)
            {
                throw new ModelServerException(
                    $"The embeddings server at {connection.Endpoint} returned {embeddings.Count} embeddings for {batch.Length} inputs.");
            }
            result.AddRange(embeddings);
            inputTokens += embeddings.Usage?.InputTokenCount ?? 0;
        }
        result.Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = inputTokens };
        return result;
    }
}
