using System.Diagnostics;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>
/// The <see cref="SampleVideos.Scenes"/> video indexed once with every model pointed at a <see cref="FakeModelServer"/>:
/// chat, vision, text embeddings (the synonym-aware <see cref="TestHashingEmbeddingGenerator"/>) and image embeddings
/// for a category that names an image model.
/// </summary>
public sealed class EnrichedSampleFixture : IAsyncDisposable
{
    /// <summary>What the fake vision model says about every keyframe; "puppy" and "ocean" have synonyms in the test generator.</summary>
    public const string Caption = "A puppy runs along the ocean shore.";
    public const string ImageModel = "clip-vit";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly Lazy<Task<Video>> _indexed;
    private FakeModelServer? _server;
    private IndexerHost? _host;

    public EnrichedSampleFixture() => _indexed = new Lazy<Task<Video>>(IndexAsync);

    public IndexerHost Host => _host ?? throw new InvalidOperationException("Call GetVideoAsync first.");
    public FakeModelServer Server => _server ?? throw new InvalidOperationException("Call GetVideoAsync first.");

    /// <summary>The requests the models received while the video was indexed (tests' own query embeddings come later).</summary>
    public IReadOnlyList<ModelServerRequest> IndexingRequests { get; private set; } = [];

    /// <summary>From Enrich's start to Index's start: the stage's wall time against a fake that answers at once, so
    /// nearly all of it is Veeky's own work around the model calls (reported, never asserted).</summary>
    public TimeSpan EnrichDuration { get; private set; }

    /// <summary>The indexed (or failed) video with its segments.</summary>
    public Task<Video> GetVideoAsync() => _indexed.Value;

    private async Task<Video> IndexAsync()
    {
        var sample = await SampleVideos.ScenesPathAsync();
        _server = await FakeModelServer.StartAsync();
        _server.Caption = Caption;
        _server.Embedder = TestHashingEmbeddingGenerator.Embed;
        var endpoint = _server.Endpoint.ToString().TrimEnd('/');
        _host = await IndexerHost.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:ollama-chat"] = $"Endpoint={endpoint};Model=llama3.2",
            ["ConnectionStrings:ollama-vision"] = $"Endpoint={endpoint};Model=llava",
            ["ConnectionStrings:ollama-embed"] = $"Endpoint={endpoint};Model=all-minilm",
            ["ConnectionStrings:image-embeddings"] = $"Endpoint={endpoint};Model={ImageModel}",
        });
        long enrichStarted = 0;
        _host.Recorder.Before[VideoStage.Enriching] = (_, _) =>
        {
            enrichStarted = Stopwatch.GetTimestamp();
            return Task.CompletedTask;
        };
        _host.Recorder.Before[VideoStage.Indexing] = (_, _) =>
        {
            // Only the first indexing: a test that later runs Index again must not change the reported number.
            if (EnrichDuration == default) EnrichDuration = Stopwatch.GetElapsedTime(enrichStarted);
            return Task.CompletedTask;
        };
        // The worker starts only after the category names its image model, so the job sees it.
        var videoId = await _host.AddVideoAsync(sample, "Scenes");
        await using (var db = _host.OpenDb())
        {
            var categoryId = db.Videos.Single(v => v.Id == videoId).CategoryId;
            db.Categories.Single(c => c.Id == categoryId).ImageEmbeddingModel = ImageModel;
            await db.SaveChangesAsync();
        }
        await _host.StartAsync();

        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            var video = await _host.LoadVideoAsync(videoId) ?? throw new InvalidOperationException("The video disappeared.");
            if (video.Status is VideoStatus.Completed or VideoStatus.Failed)
            {
                IndexingRequests = _server.Requests;
                return video;
            }
            await Task.Delay(200, patience.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }
}
