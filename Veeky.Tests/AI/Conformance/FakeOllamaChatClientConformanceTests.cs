using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI.Conformance;

/// <summary>The chat conformance suite against the fake Ollama server.</summary>
public sealed class FakeOllamaChatClientConformanceTests(FakeModelServer server) : ChatClientConformanceTests, IClassFixture<FakeModelServer>
{
    protected override Task<IChatClient> CreateClientAsync() =>
        Task.FromResult(OllamaModelClients.CreateChatClient(server.Connection("llama3.2"), new OllamaChatClientOptions(), new SocketsHttpHandler()));
}
