using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI.Conformance;

/// <summary>The embedding conformance suite against the Ollama named by <c>VEEKY_TEST_OLLAMA</c>.</summary>
public sealed class RealOllamaEmbeddingGeneratorConformanceTests : EmbeddingGeneratorConformanceTests
{
    protected override async Task<IEmbeddingGenerator<string, Embedding<float>>> CreateGeneratorAsync() =>
        OllamaModelClients.CreateEmbeddingGenerator(await RealModelEndpoints.OllamaEmbedAsync(), new OllamaEmbeddingGeneratorOptions(), new SocketsHttpHandler());
}
