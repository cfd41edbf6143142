using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI.Conformance;

/// <summary>The embedding conformance suite against the fake Ollama server.</summary>
public sealed class FakeOllamaEmbeddingGeneratorConformanceTests(FakeModelServer server)
    : EmbeddingGeneratorConformanceTests, IClassFixture<FakeModelServer>
{
    protected override Task<IEmbeddingGenerator<string, Embedding<float>>> CreateGeneratorAsync() =>
        Task.FromResult(OllamaModelClients.CreateEmbeddingGenerator(server.Connection("all-minilm"), new OllamaEmbeddingGeneratorOptions(), new SocketsHttpHandler()));
}
