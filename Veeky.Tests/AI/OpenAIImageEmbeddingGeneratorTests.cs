using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI;

/// <summary>Image and query-text embeddings over an OpenAI-compatible /v1/embeddings (Infinity, CLIP servers).</summary>
public sealed class OpenAIImageEmbeddingGeneratorTests : IAsyncLifetime
{
    private FakeModelServer _server = null!;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public async ValueTask InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private OpenAIImageEmbeddingGenerator Generator(string? model = null, int batchSize = 16) =>
        new(_http, _server.Connection(model), new ImageEmbeddingGeneratorOptions { BatchSize = batchSize });

    [Fact]
    public async Task Images_are_sent_as_data_uris_with_the_categorys_model()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 9, 8, 7];
        IEmbeddingGenerator<DataContent, Embedding<float>> generator = Generator();

        var embeddings = await generator.GenerateAsync([new DataContent(jpeg, "image/jpeg")], new EmbeddingGenerationOptions { ModelId = "clip-vit" });

        var sent = Assert.Single(_server.RequestsTo("/v1/embeddings")).Json!.Value;
        Assert.Equal("clip-vit", sent.GetProperty("model").GetString());
        var dataUri = $"data:image/jpeg;base64,{Convert.ToBase64String(jpeg)}";
        Assert.Equal(dataUri, sent.GetProperty("input")[0].GetString());
        Assert.Equal(_server.Vector(dataUri).Select(v => v!.GetValue<float>()), Assert.Single(embeddings).Vector.ToArray());
    }

    [Fact]
    public async Task A_query_text_is_embedded_by_the_same_model_and_endpoint()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = Generator("clip-vit");

        var vector = await generator.GenerateVectorAsync("a red car");

        var sent = Assert.Single(_server.RequestsTo("/v1/embeddings")).Json!.Value;
        Assert.Equal("clip-vit", sent.GetProperty("model").GetString());
        Assert.Equal("a red car", sent.GetProperty("input")[0].GetString());
        Assert.Equal(8, vector.Length);
    }

    [Fact]
    public async Task Many_images_are_sent_in_batches()
    {
        var images = Enumerable.Range(0, 20).Select(i => new DataContent(new byte[] { (byte)i, 1, 2 }, "image/png")).ToList();

        var embeddings = await Generator("clip-vit", batchSize: 8).GenerateAsync(images);

        Assert.Equal(20, embeddings.Count);
        Assert.Equal([8, 8, 4], _server.RequestsTo("/v1/embeddings").Select(r => r.Json!.Value.GetProperty("input").GetArrayLength()));
    }

    [Fact]
    public async Task Something_that_is_not_an_image_is_refused_before_any_request()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Generator("clip-vit").GenerateAsync([new DataContent(new byte[] { 1 }, "audio/wav")]));

        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Without_a_model_the_error_names_the_connection_string()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Generator().GenerateAsync(["query"]));

        Assert.Contains("ConnectionStrings:image-embeddings", error.Message);
    }

    [Fact]
    public async Task An_unknown_model_is_reported_with_the_servers_message()
    {
        var error = await Assert.ThrowsAsync<ModelServerException>(() => Generator("siglip-huge").GenerateAsync(["query"]));

        Assert.Contains("The model `siglip-huge` does not exist.", error.Message);
        Assert.IsNotType<ModelNotFoundException>(error);
    }
}
