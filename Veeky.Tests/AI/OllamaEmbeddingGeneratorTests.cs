using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI;

/// <summary>Veeky's Ollama embedding generator (OllamaSharp in batches, behind Veeky's call rules): batching, order,
/// usage and errors.</summary>
public sealed class OllamaEmbeddingGeneratorTests : IAsyncLifetime
{
    private FakeModelServer _server = null!;
    private readonly SocketsHttpHandler _transport = new();

    public async ValueTask InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _transport.Dispose();
        await _server.DisposeAsync();
    }

    private IEmbeddingGenerator<string, Embedding<float>> Generator(string model = "all-minilm", int batchSize = 32) =>
        OllamaModelClients.CreateEmbeddingGenerator(_server.Connection(model),
            new OllamaEmbeddingGeneratorOptions { BatchSize = batchSize, RetryBaseDelay = TimeSpan.FromMilliseconds(10) }, _transport);

    [Fact]
    public async Task Seventy_texts_with_batches_of_32_take_three_requests_and_come_back_in_order()
    {
        var texts = Enumerable.Range(0, 70).Select(i => $"segment {i} text").ToList();

        var embeddings = await Generator().GenerateAsync(texts);

        var requests = _server.RequestsTo("/api/embed");
        Assert.Equal([32, 32, 6], requests.Select(r => r.Json!.Value.GetProperty("input").GetArrayLength()));
        Assert.All(requests, r => Assert.Equal("all-minilm", r.Json!.Value.GetProperty("model").GetString()));
        Assert.Equal("segment 32 text", requests[1].Json!.Value.GetProperty("input")[0].GetString());
        Assert.Equal(70, embeddings.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var expected = _server.Vector(texts[i]).Select(v => v!.GetValue<float>()).ToArray();
            Assert.Equal(expected, embeddings[i].Vector.ToArray());
        }
        Assert.Equal(70 * 3, embeddings.Usage?.InputTokenCount);
        Assert.All(embeddings, e => Assert.Equal("all-minilm", e.ModelId));
    }

    [Fact]
    public async Task A_single_text_is_still_sent_as_an_array()
    {
        var vector = await Generator().GenerateVectorAsync("one query");

        Assert.Equal(8, vector.Length);
        var input = Assert.Single(_server.RequestsTo("/api/embed")).Json!.Value.GetProperty("input");
        Assert.Equal(System.Text.Json.JsonValueKind.Array, input.ValueKind);
    }

    [Fact]
    public async Task A_failed_batch_is_retried_on_its_own()
    {
        _server.Enqueue("/api/embed", new FakeReply(500, """{"error":"failed to load model"}"""));
        var texts = Enumerable.Range(0, 40).Select(i => $"t{i}").ToList();

        var embeddings = await Generator().GenerateAsync(texts);

        Assert.Equal(40, embeddings.Count);
        Assert.Equal([32, 32, 8], _server.RequestsTo("/api/embed").Select(r => r.Json!.Value.GetProperty("input").GetArrayLength()));
    }

    [Fact]
    public async Task A_missing_embedding_model_says_to_pull_it()
    {
        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => Generator("nomic-embed-text").GenerateAsync(["x"]));

        Assert.Contains("ollama pull nomic-embed-text", error.Message);
    }

    [Fact]
    public async Task Metadata_and_a_model_override_per_call()
    {
        var generator = Generator();

        await generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { ModelId = "clip-vit" });

        Assert.Equal("clip-vit", Assert.Single(_server.RequestsTo("/api/embed")).Json!.Value.GetProperty("model").GetString());
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal("ollama", metadata?.ProviderName);
        Assert.Equal("all-minilm", metadata?.DefaultModelId);
    }
}
