using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI.Conformance;

/// <summary>The chat conformance suite against the Ollama named by <c>VEEKY_TEST_OLLAMA</c>.</summary>
public sealed class RealOllamaChatClientConformanceTests : ChatClientConformanceTests
{
    protected override async Task<IChatClient> CreateClientAsync() =>
        OllamaModelClients.CreateChatClient(await RealModelEndpoints.OllamaChatAsync(), new OllamaChatClientOptions(), new SocketsHttpHandler());
}
