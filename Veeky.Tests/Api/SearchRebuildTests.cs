using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Configs;
using Veeky.Api.Admin;
using Veeky.Data;
using Veeky.Search;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Api;

/// <summary><c>POST /api/admin/search/rebuild</c> and the <c>rebuild-search-index</c> command on a host of their own
/// (SQLite, or PostgreSQL + Redis under the storage switch), so the counts are this class's videos only.</summary>
public sealed class SearchRebuildTests(SearchRebuildTests.Host api) : IClassFixture<SearchRebuildTests.Host>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Rebuild_restores_lost_documents_drops_deleted_videos_and_answers_the_counts()
    {
        var kept = await api.SeedVideoAsync(api.Visible, api.Editor.Id, "Lighthouse keeper diary");
        var gone = await api.SeedVideoAsync(api.Visible, api.Editor.Id, "Harbour crane manual");
        await api.SeedVideoAsync(api.Visible, api.Editor.Id, "Pending upload", VideoStatus.Pending);
        var index = api.Factory.Services.GetRequiredService<ISearchIndex>();
        // The index lost one video; the database lost the other (its documents linger in the index).
        await index.DeleteVideoAsync(kept.Id, Ct);
        await using (var db = api.Factory.CreateDbContext())
        {
            await db.Videos.Where(v => v.Id == gone.Id).ExecuteDeleteAsync(Ct);
        }
        // Answered (and cached, with Redis) before the rebuild: the rebuild must not leave this answer behind.
        Assert.Empty(await HitsAsync("lighthouse"));
        Assert.Contains(gone.Id, await HitsAsync("harbour"));
        int completed;
        await using (var db = api.Factory.CreateDbContext())
        {
            completed = await db.Videos.CountAsync(v => v.Status == VideoStatus.Completed, Ct);
        }

        var response = await api.Admin.Client.PostAsync("/api/admin/search/rebuild", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal(completed, body.GetProperty("total").GetInt32());
        Assert.Equal(completed, body.GetProperty("indexed").GetInt32());
        Assert.Equal([kept.Id], await HitsAsync("lighthouse"));
        Assert.Empty(await HitsAsync("harbour"));
        Assert.Empty(await HitsAsync("pending"));
    }

    [Fact]
    public async Task Only_admins_may_rebuild()
    {
        foreach (var actor in new[] { api.Editor, api.Reader, api.Outsider })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PostAsync("/api/admin/search/rebuild", null, Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsync("/api/admin/search/rebuild", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task The_command_rebuilds_and_reports_what_it_did()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, "Orchard pruning lesson");
        await api.Factory.Services.GetRequiredService<ISearchIndex>().DeleteVideoAsync(video.Id, Ct);
        var output = new StringWriter();

        var exitCode = await AdminCommands.RunAsync(api.Factory.Services, output, Ct);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^Search index rebuilt: (\d+) of \1 completed videos indexed\.", output.ToString());
        Assert.Equal([video.Id], await HitsAsync("orchard"));
        Assert.True(AdminCommands.IsCommand(["rebuild-search-index"]));
        Assert.True(AdminCommands.IsCommand(["--environment=Production", "rebuild-search-index"]));
        Assert.True(AdminCommands.IsCommand(["--Veeky:DataDirectory", "/srv/veeky", "rebuild-search-index"]));
        Assert.False(AdminCommands.IsCommand([]));
        Assert.False(AdminCommands.IsCommand(["--urls", "http://localhost:5080"]));
    }

    private async Task<List<Guid>> HitsAsync(string query)
    {
        var result = await api.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/search?q={query}&mode=text", Ct);
        return result.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("videoId").GetGuid()).Distinct().ToList();
    }

    /// <summary>The shared cast on a host of this class's own.</summary>
    public sealed class Host : IAsyncLifetime
    {
        private readonly ApiFixture _api = new();

        public ApiFactory Factory => _api.Factory;
        public Guid Visible => _api.Visible;
        public Actor Admin => _api.Admin;
        public Actor Editor => _api.Editor;
        public Actor Reader => _api.Reader;
        public Actor Outsider => _api.Outsider;
        public HttpClient Anonymous() => _api.Anonymous();

        public Task<SeededVideo> SeedVideoAsync(Guid category, Guid uploader, string title, VideoStatus status = VideoStatus.Completed) =>
            _api.SeedVideoAsync(category, uploader, title, status);

        public ValueTask InitializeAsync() => _api.InitializeAsync();

        public ValueTask DisposeAsync() => _api.DisposeAsync();
    }
}

/// <summary>The rebuild against an OpenSearch node (the recording double): what reaches it is the generation-based
/// replace of every completed video, then the removal of older generations.</summary>
public sealed class OpenSearchRebuildTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeOpenSearchServer _server = null!;
    private ApiFactory _factory = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeOpenSearchServer.StartAsync();
        _factory = new ApiFactory(settings: new Dictionary<string, string?> { ["ConnectionStrings:search"] = _server.Url.ToString() });
        _ = _factory.Services;
    }

    [Fact]
    public async Task Rebuild_writes_each_completed_video_in_a_new_generation_and_deletes_the_older_ones()
    {
        var database = _factory.Services.GetRequiredService<DatabaseProvider>();
        var completed = await TestDatabase.SeedVideoAsync(database, "Completed one");
        var pending = await TestDatabase.SeedVideoAsync(database, "Still pending");
        await using (var db = _factory.CreateDbContext())
        {
            var video = await db.Videos.SingleAsync(v => v.Id == completed, Ct);
            video.Status = VideoStatus.Completed;
            // The vectors come from the database; the keyframe vector of a model the category no longer names stays out.
            video.Segments.Add(new Segment { VideoId = completed, Index = 0, Start = 0, End = 4, Transcript = "first words",
                TextEmbedding = [0.25f, -0.5f, 1f], TextEmbeddingModel = "all-minilm", ImageEmbedding = [0.5f, 0.5f], ImageEmbeddingModel = "clip-vit" });
            video.Segments.Add(new Segment { VideoId = completed, Index = 1, Start = 4, End = 8, Transcript = "second words",
                TextEmbedding = [1f, 0f, -1f], TextEmbeddingModel = "all-minilm", ImageEmbedding = [0.5f, 0.5f], ImageEmbeddingModel = "retired-clip" });
            (await db.Categories.SingleAsync(c => c.Id == video.CategoryId, Ct)).ImageEmbeddingModel = "clip-vit";
            await db.SaveChangesAsync(Ct);
        }
        var before = _server.Requests.Count;

        var result = await _factory.Services.GetRequiredService<SearchIndexRebuilder>().TryRebuildAsync(Ct);

        Assert.Equal(new Contracts.SearchRebuildResult("completed", 1, 1), result);
        var sent = _server.Requests.Skip(before).ToList();
        var bulk = Assert.Single(sent, r => r.Is("POST", "/_bulk"));
        Assert.Contains(completed.ToString(), bulk.Body);
        Assert.DoesNotContain(pending.ToString(), bulk.Body);
        var generation = (long)bulk.Lines[1]["generation"]!;
        Assert.Contains("first words", bulk.Body);
        Assert.Contains("second words", bulk.Body);
        var segments = bulk.Lines.Where(l => l["segmentIndex"] is not null).OrderBy(l => (int)l["segmentIndex"]!).ToList();
        Assert.Equal(2, segments.Count);
        Assert.Equal([0.25f, -0.5f, 1f], segments[0]["textEmbedding"]!.AsArray().Select(v => (float)v!));
        Assert.Equal([1f, 0f, -1f], segments[1]["textEmbedding"]!.AsArray().Select(v => (float)v!));
        Assert.Equal([0.5f, 0.5f], segments[0]["imageEmbedding"]!.AsArray().Select(v => (float)v!));
        Assert.Null(segments[1]["imageEmbedding"]);
        var stale = sent.Where(r => r.PathAndQuery.Contains("_delete_by_query")).TakeLast(2).ToList();
        Assert.Equal(["/veeky-segments/_delete_by_query", "/veeky-videos/_delete_by_query"], stale.Select(r => r.PathWithoutQuery));
        var cutoff = (long)stale[0].Json["query"]!["bool"]!["should"]![0]!["range"]!["generation"]!["lt"]!;
        Assert.True(cutoff < generation);
        Assert.True(sent.IndexOf(stale[0]) > sent.IndexOf(bulk));
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _server.DisposeAsync();
    }
}

/// <summary>The rebuild restores semantic search from the embeddings the database keeps (SQLite, or PostgreSQL + Redis
/// under the storage switch), on a host whose text embedding model is the synonym-aware test generator.</summary>
public sealed class SemanticSearchRebuildTests : IAsyncLifetime
{
    /// <summary>Shares no word with the segments below; "hound" is "puppy" to the test generator.</summary>
    private const string SemanticOnlyQuery = "hound";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly Factory _factory = new();
    private HttpClient _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _admin = _factory.CreateClient();
        var login = await _admin.PostAsJsonAsync("/api/auth/login", new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        _admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
    }

    [Fact]
    public async Task Rebuild_finds_by_meaning_again_from_stored_vectors_of_the_current_model_only()
    {
        var model = (await _factory.Services.GetRequiredService<IConfigStore>().GetLlmSettingAsync(LlmPurposes.Embedding, Ct))!.Model;
        var current = await SeedAsync("Beach walk", model);
        var retired = await SeedAsync("Older beach walk", "a-retired-model");
        // Never indexed: only the database knows these videos and their vectors.
        Assert.Empty(await HitsAsync(SemanticOnlyQuery));

        var response = await _admin.PostAsync("/api/admin/search/rebuild", null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hits = await HitsAsync(SemanticOnlyQuery);
        Assert.Contains(current, hits);
        // A vector of another model is not comparable with the query's: left out, the video is found by words only.
        Assert.DoesNotContain(retired, hits);
        Assert.Equal([retired], await HitsAsync("older", "text"));

        // The vectors stay out of the video API's answers.
        foreach (var path in new[] { $"/api/videos/{current}", $"/api/videos/{current}/segments" })
        {
            var body = await _admin.GetStringAsync(path, Ct);
            Assert.DoesNotContain("embedding", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>A completed video with one segment whose words say nothing of dogs but whose stored vector does.</summary>
    private async Task<Guid> SeedAsync(string title, string model)
    {
        var database = _factory.Services.GetRequiredService<DatabaseProvider>();
        var id = await TestDatabase.SeedVideoAsync(database, title);
        await using var db = _factory.CreateDbContext();
        var video = await db.Videos.SingleAsync(v => v.Id == id, Ct);
        video.Status = VideoStatus.Completed;
        video.Stage = VideoStage.Done;
        video.Progress = 1;
        video.Segments.Add(new Segment
        {
            VideoId = id, Index = 0, Start = 0, End = 4, Transcript = "lorem ipsum dolor",
            TextEmbedding = TestHashingEmbeddingGenerator.Embed("a puppy runs on the sand"), TextEmbeddingModel = model,
        });
        await db.SaveChangesAsync(Ct);
        return id;
    }

    private async Task<List<Guid>> HitsAsync(string query, string mode = "semantic")
    {
        var result = await _admin.GetFromJsonAsync<JsonElement>($"/api/search?q={query}&mode={mode}", Ct);
        return result.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("videoId").GetGuid()).Distinct().ToList();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private sealed class Factory : ApiFactory
    {
        protected override void ConfigureTestServices(IWebHostBuilder builder) =>
            builder.ConfigureTestServices(services =>
                services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, TestHashingEmbeddingGenerator>());
    }
}
