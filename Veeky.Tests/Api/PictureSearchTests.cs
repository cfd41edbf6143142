using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Veeky.AI;
using Veeky.Identity;
using Veeky.Search;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Api;

/// <summary>
/// Search by picture (<c>POST /api/search/image</c>) and "more like this" (<c>GET .../segments/{index}/similar</c>):
/// keyframe vectors compared inside the caller's categories. The hidden category holds the keyframe closest to every
/// query here, so a leak would show at once.
/// </summary>
public sealed class PictureSearchTests(PictureSearchTests.Fixture fixture) : IClassFixture<PictureSearchTests.Fixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A PNG signature followed by what the test double "sees" in the picture.</summary>
    private static byte[] Picture(string looksLike) =>
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Encoding.UTF8.GetBytes(looksLike)];

    private static MultipartFormDataContent Form(byte[] file, string fileName = "query.png", params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(content, "file", fileName);
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        return form;
    }

    [Fact]
    public async Task A_picture_finds_the_moment_whose_keyframe_looks_like_it_with_no_words_at_all()
    {
        fixture.Pictures.Reset();

        var response = await fixture.Viewer.PostAsync("/api/search/image", Form(Picture("red automobile parked")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("semantic", result.GetProperty("mode").GetString());
        var first = result.GetProperty("hits")[0];
        Assert.Equal(fixture.Street, first.GetProperty("videoId").GetGuid());
        Assert.Equal(1, first.GetProperty("segmentIndex").GetInt32());
        Assert.Contains("sit amet", first.GetProperty("snippet").GetString());
        Assert.StartsWith("/api/videos/", first.GetProperty("keyframeUrl").GetString());
        Assert.Equal(["clip-vit"], fixture.Pictures.Models);
        Assert.Equal(["image/png"], fixture.Pictures.MediaTypes);
    }

    [Fact]
    public async Task A_picture_never_finds_a_moment_of_a_category_the_caller_cannot_see()
    {
        fixture.Pictures.Reset();

        var viewer = await fixture.Viewer.PostAsync("/api/search/image", Form(Picture("red automobile parked"), fields: ("limit", "50")), Ct);
        var asked = await fixture.Viewer.PostAsync("/api/search/image", Form(Picture("red automobile parked"), fields: ("categoryId", fixture.Hidden.ToString())), Ct);
        var admin = await fixture.Admin.PostAsync("/api/search/image", Form(Picture("red automobile parked"), fields: ("limit", "50")), Ct);

        var seen = (await viewer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("videoId").GetGuid()).ToList();
        Assert.NotEmpty(seen);
        Assert.DoesNotContain(fixture.Secret, seen);
        // Naming the hidden category gives nothing to compare with: no image model the caller can use there.
        Assert.Equal(HttpStatusCode.BadRequest, asked.StatusCode);
        var everything = (await admin.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("videoId").GetGuid()).ToList();
        Assert.Contains(fixture.Secret, everything);
    }

    [Fact]
    public async Task Without_an_image_model_for_the_categories_searched_the_answer_names_the_setting()
    {
        fixture.Pictures.Reset();

        var response = await fixture.Admin.PostAsync("/api/search/image", Form(Picture("anything"), fields: ("categoryId", fixture.Plain.ToString())), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ConnectionStrings:image-embeddings", (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        Assert.Empty(fixture.Pictures.Models);
    }

    [Fact]
    public async Task What_is_not_a_picture_is_refused_before_any_model_is_asked()
    {
        fixture.Pictures.Reset();

        var text = await fixture.Viewer.PostAsync("/api/search/image", Form(Encoding.UTF8.GetBytes("just some notes"), "notes.png"), Ct);
        var empty = await fixture.Viewer.PostAsync("/api/search/image", Form([], "empty.png"), Ct);
        using var noFile = new MultipartFormDataContent { { new StringContent("10"), "limit" } };
        var missing = await fixture.Viewer.PostAsync("/api/search/image", noFile, Ct);
        var huge = await fixture.Viewer.PostAsync("/api/search/image", Form([.. Picture("big"), .. new byte[10 * 1024 * 1024]]), Ct);
        var badLimit = await fixture.Viewer.PostAsync("/api/search/image", Form(Picture("x"), fields: ("limit", "500")), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.Contains("JPEG, PNG or WebP", await text.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Empty(fixture.Pictures.Models);
    }

    [Fact]
    public async Task A_failing_image_model_answers_503_with_a_sentence()
    {
        fixture.Pictures.Reset(fail: true);

        var response = await fixture.Viewer.PostAsync("/api/search/image", Form(Picture("red automobile")), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("did not answer", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task More_like_this_finds_other_videos_and_far_off_moments_by_the_stored_vectors_without_calling_a_model()
    {
        fixture.Pictures.Reset();

        var result = await fixture.Viewer.GetFromJsonAsync<JsonElement>($"/api/videos/{fixture.Street}/segments/1/similar?limit=10", Ct);

        var hits = result.GetProperty("hits").EnumerateArray().Select(h => (Video: h.GetProperty("videoId").GetGuid(), Index: h.GetProperty("segmentIndex").GetInt32())).ToList();
        Assert.Contains((fixture.CarShow, 0), hits);
        Assert.Contains((fixture.Street, 3), hits); // 200 s later in the same video
        Assert.DoesNotContain((fixture.Street, 1), hits); // itself
        Assert.DoesNotContain((fixture.Street, 2), hits); // its neighbour, the same scene
        Assert.DoesNotContain(hits, h => h.Video == fixture.Secret);
        // The two keyframes most like it come first.
        Assert.Equal([(fixture.CarShow, 0), (fixture.Street, 3)], hits.Take(2).OrderBy(h => h.Index).ToList());
        Assert.Empty(fixture.Pictures.Models);
    }

    [Fact]
    public async Task More_like_this_of_a_hidden_or_missing_moment_is_404_and_of_one_without_vectors_400()
    {
        var hidden = await fixture.Viewer.GetAsync($"/api/videos/{fixture.Secret}/segments/0/similar", Ct);
        var missing = await fixture.Viewer.GetAsync($"/api/videos/{fixture.Street}/segments/99/similar", Ct);
        var noVectors = await fixture.Admin.GetAsync($"/api/videos/{fixture.PlainTalk}/segments/0/similar", Ct);
        var badLimit = await fixture.Viewer.GetAsync($"/api/videos/{fixture.Street}/segments/1/similar?limit=0", Ct);

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noVectors.StatusCode);
        Assert.Contains("ConnectionStrings:ollama-embed", await noVectors.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    /// <summary>An API host with a picture embedder (test double), three categories (two with the clip-vit image model,
    /// one of them hidden from the viewer, and one without), and videos whose keyframe vectors are known.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Factory _factory = new();

        public RecordingPictureEmbedder Pictures => _factory.Pictures;
        public HttpClient Admin { get; private set; } = null!;
        public HttpClient Viewer { get; private set; } = null!;
        public Guid Photos { get; private set; }
        public Guid Hidden { get; private set; }
        public Guid Plain { get; private set; }
        public Guid Street { get; } = Guid.CreateVersion7();
        public Guid CarShow { get; } = Guid.CreateVersion7();
        public Guid Secret { get; } = Guid.CreateVersion7();
        public Guid PlainTalk { get; } = Guid.CreateVersion7();

        public async ValueTask InitializeAsync()
        {
            Admin = await _factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
            var adminId = (await Admin.GetFromJsonAsync<JsonElement>("/api/auth/me")).GetProperty("id").GetGuid();
            Photos = await ApiFactory.CreateAsync(Admin, "/api/categories", new { name = "Photos", imageEmbeddingModel = "clip-vit" });
            Hidden = await ApiFactory.CreateAsync(Admin, "/api/categories", new { name = "Hidden photos", imageEmbeddingModel = "clip-vit" });
            Plain = await ApiFactory.CreateAsync(Admin, "/api/categories", new { name = "Plain" });
            await ApiFactory.CreateAsync(Admin, "/api/users", new { email = "viewer@pictures.test", password = ApiFixture.Password, role = Roles.User, categoryIds = new[] { Photos } });
            Viewer = await _factory.SignInAsync("viewer@pictures.test", ApiFixture.Password);

            await AddAsync(adminId, Street, Photos, "Street walk",
                (0, "lorem ipsum dolor", "ocean waves at dusk"),
                (5, "sit amet consectetur", "red automobile parked"),
                (10, "adipiscing elit sed", "red automobile parked near"),
                (200, "tempor incididunt", "red automobile parked again later"));
            await AddAsync(adminId, CarShow, Photos, "Car show", (0, "ut labore et dolore", "red automobile parked on show"));
            await AddAsync(adminId, Secret, Hidden, "Secret", (0, "magna aliqua", "red automobile parked"));
            await AddAsync(adminId, PlainTalk, Plain, "Plain talk", (0, "quis nostrud", null));
        }

        /// <summary>The video and its segments in the database (where "more like this" reads the vectors) and in the index.</summary>
        private async Task AddAsync(Guid uploader, Guid id, Guid category, string title, params (double Start, string Text, string? Looks)[] moments)
        {
            var now = DateTimeOffset.UtcNow;
            var video = new Video
            {
                Id = id, Title = title, CategoryId = category, UploaderId = uploader, Status = VideoStatus.Completed, Stage = VideoStage.Done,
                Progress = 1, StoragePath = $"videos/{id:N}/original.mp4", Sha256 = new string('0', 64), SegmentCount = moments.Length,
                DurationSeconds = moments.Max(m => m.Start) + 5, CreatedAt = now, UpdatedAt = now,
            };
            var segments = moments.Select((m, i) => new Segment
            {
                VideoId = id, Index = i, Start = m.Start, End = m.Start + 5, Transcript = m.Text,
                ImageEmbedding = m.Looks is null ? null : TestHashingEmbeddingGenerator.Embed(m.Looks),
                ImageEmbeddingModel = m.Looks is null ? null : "clip-vit",
            }).ToList();
            video.Segments.AddRange(segments);
            await using (var db = _factory.CreateDbContext())
            {
                db.Videos.Add(video);
                await db.SaveChangesAsync();
            }
            await _factory.Services.GetRequiredService<ISearchIndex>().ReplaceVideoAsync(VideoDocument.From(video),
                segments.Select(s => SegmentDocument.From(s, null, s.ImageEmbedding)).ToList());
        }

        public async ValueTask DisposeAsync()
        {
            Admin?.Dispose();
            Viewer?.Dispose();
            await _factory.DisposeAsync();
        }

        private sealed class Factory : ApiFactory
        {
            public RecordingPictureEmbedder Pictures { get; } = new();

            protected override void ConfigureTestServices(IWebHostBuilder builder) =>
                builder.ConfigureTestServices(services =>
                    services.AddKeyedSingleton<IEmbeddingGenerator<DataContent, Embedding<float>>>(AIServiceKeys.ImageEmbeddings, Pictures));
        }
    }
}

/// <summary>TEST DOUBLE of an image embedding model: it "sees" the text after a picture's signature and embeds it with
/// the hashing embedding, recording the model and media type it was asked with; it can fail as an unreachable server does.</summary>
public sealed class RecordingPictureEmbedder : IEmbeddingGenerator<DataContent, Embedding<float>>
{
    private volatile bool _fail;

    public ConcurrentQueue<string?> Models { get; } = new();
    public ConcurrentQueue<string> MediaTypes { get; } = new();

    public void Reset(bool fail = false)
    {
        _fail = fail;
        Models.Clear();
        MediaTypes.Clear();
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<DataContent> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Models.Enqueue(options?.ModelId);
        if (_fail)
        {
            throw new ModelServerException("The image embedding server at http://clip:7997 does not answer.");
        }
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v =>
        {
            MediaTypes.Enqueue(v.MediaType);
            var looks = Encoding.UTF8.GetString(v.Data.Span[8..]);
            return new Embedding<float>(TestHashingEmbeddingGenerator.Embed(looks));
        })));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
