using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Configs;
using Veeky.Identity;
using Veeky.Search;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>The Enrich stage against a fake model server: what the models say lands in the segments, the video and the
/// search index, and meaning alone finds a moment for those allowed to see it.</summary>
public sealed class EnrichPipelineTests(EnrichedSampleFixture sample) : IClassFixture<EnrichedSampleFixture>
{
    /// <summary>Shares no word with anything the sample says, shows or is told; "hound" is "puppy" to the test generator.</summary>
    private const string SemanticOnlyQuery = "hound";

    private static void RequireTools() => Requires.Tools([.. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);

    [Fact]
    public async Task Every_segment_gets_the_vision_caption_and_normalised_keywords_and_the_video_a_summary()
    {
        RequireTools();
        var video = await sample.GetVideoAsync();

        Assert.True(video.Status == VideoStatus.Completed, video.Error);
        Assert.NotEmpty(video.Segments);
        Assert.All(video.Segments, s =>
        {
            Assert.Equal(EnrichedSampleFixture.Caption, s.Caption);
            // The fake answers the JSON schema with {"keywords":["red car","city street"]}.
            Assert.Equal(["red car", "city street"], s.Keywords);
        });
        Assert.StartsWith("You said: ", video.Summary);
        Assert.Contains("Scenes", video.Summary);
    }

    [Fact]
    public async Task The_models_are_asked_as_documented_and_embeddings_are_batched()
    {
        RequireTools();
        var video = await sample.GetVideoAsync();
        var segments = video.Segments.Count;
        var requests = sample.IndexingRequests;
        var chats = requests.Where(r => r.Path == "/api/chat").Select(r => r.Json!.Value).ToList();
        var captions = chats.Where(c => c.GetProperty("model").GetString() == "llava").ToList();
        var keywords = chats.Where(c => c.TryGetProperty("format", out _)).ToList();
        var summaries = chats.Where(c => c.GetProperty("model").GetString() == "llama3.2" && !c.TryGetProperty("format", out _)).ToList();
        var textEmbeds = requests.Where(r => r.Path == "/api/embed").ToList();
        var imageEmbeds = requests.Where(r => r.Path == "/v1/embeddings").ToList();

        Assert.Equal(segments, captions.Count);
        Assert.All(captions, c => Assert.Equal(1, c.GetProperty("messages")[0].GetProperty("images").GetArrayLength()));
        Assert.Equal(segments, keywords.Count);
        Assert.All(keywords, k => Assert.Equal("array",
            k.GetProperty("format").GetProperty("properties").GetProperty("keywords").GetProperty("type").GetString()));
        Assert.Single(summaries);
        Assert.Single(textEmbeds);
        Assert.Equal(segments, textEmbeds[0].Json!.Value.GetProperty("input").GetArrayLength());
        var imageRequest = Assert.Single(imageEmbeds);
        Assert.Equal(EnrichedSampleFixture.ImageModel, imageRequest.Json!.Value.GetProperty("model").GetString());

        var total = chats.Count + textEmbeds.Count + imageEmbeds.Count;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{segments} segments: {captions.Count} caption + {keywords.Count} keyword + {summaries.Count} summary chat calls, "
            + $"{textEmbeds.Count} text and {imageEmbeds.Count} image embedding calls = {total} model calls "
            + $"({(double)total / segments:F2} per segment); Enrich took {sample.EnrichDuration.TotalMilliseconds:F0} ms "
            + "against the instant fake");
    }

    [Fact]
    public async Task An_edited_caption_prompt_and_model_reach_the_vision_model_for_the_next_video_without_a_restart()
    {
        RequireTools();
        var first = await sample.GetVideoAsync();
        Assert.True(first.Status == VideoStatus.Completed, first.Error);
        var ct = TestContext.Current.CancellationToken;
        sample.Server.Models["llava-edited"] = true;
        await using (var db = sample.Host.OpenDb())
        {
            db.Prompts.Single(p => p.Name == PromptNames.Caption).Template = "EDITED caption of {{title}}; on screen: {{ocr}}";
            db.LlmSettings.Single(l => l.Purpose == LlmPurposes.Caption).Model = "llava-edited";
            await db.SaveChangesAsync(ct);
        }
        var seen = sample.Server.Requests.Count;

        var next = await IndexAsync(await SampleVideos.ScenesPathAsync(), "Next video", ct);

        Assert.True(next.Status == VideoStatus.Completed, next.Error);
        var before = CaptionRequests(sample.IndexingRequests);
        var after = CaptionRequests(sample.Server.Requests.Skip(seen));
        Assert.Equal(first.Segments.Count, before.Count);
        Assert.All(before, c =>
        {
            Assert.Equal("llava", c.GetProperty("model").GetString());
            Assert.StartsWith("Describe in one or two sentences what this frame from the video \"Scenes\" shows.", Content(c));
        });
        Assert.Equal(next.Segments.Count, after.Count);
        Assert.All(after, c =>
        {
            Assert.Equal("llava-edited", c.GetProperty("model").GetString());
            Assert.StartsWith("EDITED caption of Next video; on screen: ", Content(c));
            Assert.DoesNotContain("{{", Content(c));
        });
    }

    [Theory]
    [InlineData(SearchMode.Semantic)]
    [InlineData(SearchMode.Hybrid)]
    public async Task A_query_that_shares_only_meaning_finds_the_video_for_the_system(SearchMode mode)
    {
        RequireTools();
        var video = await sample.GetVideoAsync();
        var search = sample.Host.Services.GetRequiredService<ISearchIndex>();
        var ct = TestContext.Current.CancellationToken;

        var text = await search.SearchAsync(new SearchRequest(SemanticOnlyQuery, AccessScope.System, SearchMode.Text), ct);
        var result = await search.SearchAsync(new SearchRequest(SemanticOnlyQuery, AccessScope.System, mode,
            QueryEmbedding: await EmbedAsync(SemanticOnlyQuery)), ct);

        Assert.Empty(text.Hits);
        Assert.Equal(mode, result.Mode);
        Assert.Contains(result.Hits, h => h.VideoId == video.Id);
    }

    [Theory]
    [InlineData(SearchMode.Semantic)]
    [InlineData(SearchMode.Hybrid)]
    public async Task A_user_without_the_category_does_not_find_it_by_meaning(SearchMode mode)
    {
        RequireTools();
        var video = await sample.GetVideoAsync();
        var search = sample.Host.Services.GetRequiredService<ISearchIndex>();
        var outsider = new AccessScope(Guid.NewGuid(), Roles.User, new HashSet<Guid> { Guid.NewGuid() });

        var result = await search.SearchAsync(new SearchRequest(SemanticOnlyQuery, outsider, mode,
            QueryEmbedding: await EmbedAsync(SemanticOnlyQuery)), TestContext.Current.CancellationToken);

        Assert.DoesNotContain(result.Hits, h => h.VideoId == video.Id);
        Assert.Equal(0, result.Total);
    }

    [Fact]
    public async Task Each_segment_keeps_its_text_and_keyframe_embeddings_and_their_models_in_the_database()
    {
        RequireTools();
        var video = await sample.GetVideoAsync();
        Assert.True(video.Status == VideoStatus.Completed, video.Error);
        var sent = sample.IndexingRequests.Single(r => r.Path == "/api/embed").Json!.Value.GetProperty("input")
            .EnumerateArray().Select(i => i.GetString()!).ToList();

        Assert.Equal(video.Segments.Count, sent.Count);
        Assert.All(video.Segments, s =>
        {
            // What the model answered for this segment's text, bit for bit after the float32 round trip.
            Assert.Equal(TestHashingEmbeddingGenerator.Embed(sent[s.Index]), s.TextEmbedding);
            Assert.Equal("all-minilm", s.TextEmbeddingModel);
            Assert.NotNull(s.ImageEmbedding);
            Assert.NotEmpty(s.ImageEmbedding);
            Assert.Equal(EnrichedSampleFixture.ImageModel, s.ImageEmbeddingModel);
        });
    }

    [Fact]
    public async Task A_job_resumed_after_Enrich_indexes_the_stored_vectors_without_calling_a_model()
    {
        RequireTools();
        var video = await sample.GetVideoAsync();
        Assert.True(video.Status == VideoStatus.Completed, video.Error);
        var ct = TestContext.Current.CancellationToken;
        var search = sample.Host.Services.GetRequiredService<ISearchIndex>();
        var query = new SearchRequest(SemanticOnlyQuery, AccessScope.System, SearchMode.Semantic, QueryEmbedding: await EmbedAsync(SemanticOnlyQuery));
        // The crash: Enrich was checkpointed, the index never got the documents and the work folder is gone.
        await search.DeleteVideoAsync(video.Id, ct);
        Assert.DoesNotContain((await search.SearchAsync(query, ct)).Hits, h => h.VideoId == video.Id);
        DeleteFolder(sample.Host.Media.WorkFolder(video.Id)); // as on another machine; the runner may be removing it too
        var (enriched, indexed, calls) = (sample.Host.Recorder.Runs(VideoStage.Enriching), sample.Host.Recorder.Runs(VideoStage.Indexing),
            sample.Server.Requests.Count);
        Guid jobId;
        await using (var db = sample.Host.OpenDb())
        {
            var job = await sample.Host.Queue.EnqueueAsync(db, video.Id, ct);
            job.CompletedStages = string.Join(',', Enum.GetValues<VideoStage>().Where(s => s is > VideoStage.Queued and < VideoStage.Indexing));
            jobId = job.Id;
            await db.SaveChangesAsync(ct);
        }
        sample.Host.Services.GetRequiredService<Veeky.Jobs.JobSignal>().Notify();

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromMinutes(1));
        while ((await sample.Host.LoadJobAsync(video.Id))!.Status is Veeky.Jobs.JobStatus.Queued or Veeky.Jobs.JobStatus.Running)
        {
            await Task.Delay(100, patience.Token);
        }

        var done = await sample.Host.LoadJobAsync(video.Id);
        Assert.Equal((jobId, Veeky.Jobs.JobStatus.Succeeded), (done!.Id, done.Status));
        Assert.Equal(enriched, sample.Host.Recorder.Runs(VideoStage.Enriching));
        Assert.Equal(indexed + 1, sample.Host.Recorder.Runs(VideoStage.Indexing));
        Assert.Equal(calls, sample.Server.Requests.Count);
        Assert.Contains((await search.SearchAsync(query, ct)).Hits, h => h.VideoId == video.Id);
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
        Assert.False(Directory.Exists(folder));
    }

    /// <summary>Chat requests that carry a keyframe: the caption calls.</summary>
    private static List<System.Text.Json.JsonElement> CaptionRequests(IEnumerable<ModelServerRequest> requests) =>
        requests.Where(r => r.Path == "/api/chat").Select(r => r.Json!.Value)
            .Where(c => c.GetProperty("messages")[0].TryGetProperty("images", out _)).ToList();

    private static string Content(System.Text.Json.JsonElement chat) =>
        chat.GetProperty("messages")[0].GetProperty("content").GetString() ?? "";

    /// <summary>Adds a video to the already running host and waits until its job ends.</summary>
    private async Task<Video> IndexAsync(string path, string title, CancellationToken ct)
    {
        var videoId = await sample.Host.AddVideoAsync(path, title);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromMinutes(3));
        while (true)
        {
            var video = await sample.Host.LoadVideoAsync(videoId) ?? throw new InvalidOperationException("The video disappeared.");
            if (video.Status is VideoStatus.Completed or VideoStatus.Failed)
            {
                return video;
            }
            await Task.Delay(200, patience.Token);
        }
    }

    /// <summary>The query's embedding through the host's generator, as the API computes it.</summary>
    private async Task<float[]> EmbedAsync(string query)
    {
        var generator = sample.Host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        return (await generator.GenerateVectorAsync(query, cancellationToken: TestContext.Current.CancellationToken)).ToArray();
    }
}
