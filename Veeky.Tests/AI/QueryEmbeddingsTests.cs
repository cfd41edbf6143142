using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Veeky.AI;
using Veeky.Identity;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI;

/// <summary>
/// The image leg of <c>GET /api/search</c>: the query text embedded by the keyed "image" generator with the searched
/// categories' <c>imageEmbeddingModel</c>, compared with keyframe embeddings, under the caller's scope.
/// </summary>
public sealed class QueryEmbeddingsTests(QueryEmbeddingsTests.Fixture fixture) : IClassFixture<QueryEmbeddingsTests.Fixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_moment_whose_keyframe_alone_matches_is_found_through_the_image_leg_with_the_categorys_model()
    {
        fixture.Images.Reset();

        // "vehicle" shares no word with anything indexed; only the keyframe (embedded as a red automobile) means it.
        var result = await fixture.Viewer.GetFromJsonAsync<JsonElement>($"/api/search?q=vehicle&categoryId={fixture.Photos}", Ct);

        Assert.Equal("hybrid", result.GetProperty("mode").GetString());
        // Vector legs rank every visible keyframe; the one that means "vehicle" comes first.
        var hit = result.GetProperty("hits")[0];
        Assert.Equal(fixture.PhotoVideo, hit.GetProperty("videoId").GetGuid());
        Assert.Equal(1, hit.GetProperty("segmentIndex").GetInt32());
        Assert.All(result.GetProperty("hits").EnumerateArray(), h => Assert.Equal(fixture.PhotoVideo, h.GetProperty("videoId").GetGuid()));
        Assert.Equal(["clip-vit"], fixture.Images.Models);
    }

    [Fact]
    public async Task Without_a_category_filter_the_one_model_of_the_visible_categories_is_used()
    {
        fixture.Images.Reset();

        var result = await fixture.Viewer.GetFromJsonAsync<JsonElement>("/api/search?q=vehicle", Ct);

        Assert.Contains(result.GetProperty("hits").EnumerateArray(), h => h.GetProperty("videoId").GetGuid() == fixture.PhotoVideo);
        Assert.Equal(["clip-vit"], fixture.Images.Models);
    }

    [Fact]
    public async Task Visible_categories_with_different_image_models_give_no_image_leg_unless_one_is_searched()
    {
        fixture.Images.Reset();

        var all = await fixture.Admin.GetFromJsonAsync<JsonElement>("/api/search?q=vehicle", Ct);
        Assert.Empty(fixture.Images.Models);
        Assert.Equal("text", all.GetProperty("mode").GetString());

        var one = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/api/search?q=vehicle&categoryId={fixture.Siglip}", Ct);
        Assert.Equal(["siglip"], fixture.Images.Models);
        Assert.Equal("hybrid", one.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task The_image_leg_stays_inside_the_callers_scope()
    {
        fixture.Images.Reset();

        var hidden = await fixture.Outsider.GetFromJsonAsync<JsonElement>($"/api/search?q=vehicle&categoryId={fixture.Photos}", Ct);

        Assert.Empty(hidden.GetProperty("hits").EnumerateArray());
        Assert.Empty(fixture.Images.Models);
    }

    [Fact]
    public async Task A_failing_image_model_drops_the_leg_and_the_search_still_answers()
    {
        fixture.Images.Reset(fail: true);

        var response = await fixture.Viewer.GetAsync($"/api/search?q=vehicle&categoryId={fixture.Photos}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("text", result.GetProperty("mode").GetString());
        Assert.Empty(result.GetProperty("hits").EnumerateArray());
        Assert.Equal(["clip-vit"], fixture.Images.Models);
    }

    /// <summary>An API host with only an image-text embedder (no text embedding model), two categories with different
    /// image models, a viewer of one of them and an outsider.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Factory _factory = new();

        public RecordingImageTextEmbedder Images => _factory.Images;
        public HttpClient Admin { get; private set; } = null!;
        public HttpClient Viewer { get; private set; } = null!;
        public HttpClient Outsider { get; private set; } = null!;
        public Guid Photos { get; private set; }
        public Guid Siglip { get; private set; }
        public Guid PhotoVideo { get; } = Guid.CreateVersion7();

        public async ValueTask InitializeAsync()
        {
            Admin = await _factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
            Photos = await ApiFactory.CreateAsync(Admin, "/api/categories", new { name = "Photos", imageEmbeddingModel = "clip-vit" });
            Siglip = await ApiFactory.CreateAsync(Admin, "/api/categories", new { name = "Stills", imageEmbeddingModel = "siglip" });
            await ApiFactory.CreateAsync(Admin, "/api/users", new { email = "viewer@image.test", password = ApiFixture.Password, role = Roles.User, categoryIds = new[] { Photos } });
            await ApiFactory.CreateAsync(Admin, "/api/users", new { email = "outsider@image.test", password = ApiFixture.Password, role = Roles.User, categoryIds = Array.Empty<Guid>() });
            Viewer = await _factory.SignInAsync("viewer@image.test", ApiFixture.Password);
            Outsider = await _factory.SignInAsync("outsider@image.test", ApiFixture.Password);

            var index = _factory.Services.GetRequiredService<ISearchIndex>();
            await index.ReplaceVideoAsync(new VideoDocument(PhotoVideo, Photos, "Street walk", null, [], null, DateTimeOffset.UtcNow),
            [
                new SegmentDocument(PhotoVideo, 0, 0, 5, "lorem ipsum dolor", null, null, [], ImageEmbedding: TestHashingEmbeddingGenerator.Embed("ocean waves at dusk")),
                new SegmentDocument(PhotoVideo, 1, 5, 10, "sit amet consectetur", null, null, [], ImageEmbedding: TestHashingEmbeddingGenerator.Embed("red automobile parked")),
            ]);
            var still = Guid.CreateVersion7();
            await index.ReplaceVideoAsync(new VideoDocument(still, Siglip, "Stills", null, [], null, DateTimeOffset.UtcNow),
                [new SegmentDocument(still, 0, 0, 5, "adipiscing elit", null, null, [], ImageEmbedding: TestHashingEmbeddingGenerator.Embed("automobile"))]);
        }

        public async ValueTask DisposeAsync()
        {
            Admin?.Dispose();
            Viewer?.Dispose();
            Outsider?.Dispose();
            await _factory.DisposeAsync();
        }

        private sealed class Factory : ApiFactory
        {
            public RecordingImageTextEmbedder Images { get; } = new();

            protected override void ConfigureTestServices(IWebHostBuilder builder) =>
                builder.ConfigureTestServices(services =>
                    services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(AIServiceKeys.ImageEmbeddings, Images));
        }
    }
}

/// <summary>TEST DOUBLE of an image-text model's text side: the hashing embedding, with every model id it was asked for
/// recorded; it can be told to fail as an unreachable server does.</summary>
public sealed class RecordingImageTextEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    private volatile bool _fail;

    public ConcurrentQueue<string?> Models { get; } = new();

    public void Reset(bool fail = false)
    {
        _fail = fail;
        Models.Clear();
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Models.Enqueue(options?.ModelId);
        if (_fail)
        {
            throw new ModelServerException("The image embedding server at http://clip:7997 does not answer.");
        }
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(TestHashingEmbeddingGenerator.Embed(v)))));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
