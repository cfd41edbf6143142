using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veeky.AI;
using Veeky.Configs;
using Veeky.Indexer.Enrichment;
using Veeky.Indexer.Pipeline;
using Veeky.Indexer.Speech;
using Veeky.Speech;
using Veeky.Media;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>
/// Brings the audio and video paths together: assigns the transcript's words to segments by time, then, for each part
/// whose model is registered, captions keyframes (vision model), extracts keywords and a video summary (chat model),
/// and embeds segment texts and keyframes (embedding models). Texts and embeddings (with the model that made each) are
/// saved together, under the job's lease, before the checkpoint: <see cref="IndexStage"/> and a search index rebuild
/// read the vectors from the database. A part without its model is skipped with one log line.
/// </summary>
public sealed class EnrichStage(
    StageDatabase database,
    IMediaStore media,
    ILogger<EnrichStage> logger,
    [FromKeyedServices(AIServiceKeys.Vision)] IChatClient? vision = null,
    [FromKeyedServices(AIServiceKeys.Chat)] IChatClient? chat = null,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
    [FromKeyedServices(AIServiceKeys.ImageEmbeddings)] IEmbeddingGenerator<DataContent, Embedding<float>>? imageEmbeddings = null,
    EnrichmentOptions? options = null,
    IConfigStore? configs = null) : IPipelineStage
{
    private readonly EnrichmentOptions _builtIn = options ?? new EnrichmentOptions();

    public VideoStage Stage => VideoStage.Enriching;
    public IReadOnlyList<VideoStage> DependsOn => [VideoStage.ReadingText, VideoStage.Transcribing];
    /// <summary>Without models, a few database writes; with them, a model call or two per segment.</summary>
    public double Weight => vision is null && chat is null && embeddings is null ? 0.03 : 0.40;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        // Read per run, never cached: an admin's edit of a prompt or model applies to the next video.
        var run = await EnrichmentConfigReader.ReadAsync(configs, _builtIn, ct);
        await using var db = database.Open();
        var video = await db.Videos.FirstOrDefaultAsync(v => v.Id == context.VideoId, ct)
            ?? throw new VideoGoneException(context.VideoId);
        var imageModel = await db.Categories.Where(c => c.Id == video.CategoryId).Select(c => c.ImageEmbeddingModel).FirstOrDefaultAsync(ct);
        var segments = await db.Segments.Where(s => s.VideoId == context.VideoId).OrderBy(s => s.Index).ToListAsync(ct);

        var words = TranscriptJson.Deserialize(video.TranscriptJson);
        var texts = TranscriptAligner.Assign(words, segments.Select(s => (s.Start, s.End)).ToList());
        for (var i = 0; i < segments.Count; i++)
        {
            segments[i].Transcript = texts[i];
            // A rerun without a model (or after the category dropped its image model) must not keep older vectors.
            segments[i].TextEmbedding = null;
            segments[i].TextEmbeddingModel = null;
            segments[i].ImageEmbedding = null;
            segments[i].ImageEmbeddingModel = null;
        }
        context.Progress.Report(0.1);

        await CaptionAsync(run, video, segments, ct);
        context.Progress.Report(0.4);
        await ExtractKeywordsAsync(run, video, segments, ct);
        await SummarizeAsync(run, video, segments, ct);
        context.Progress.Report(0.7);

        await EmbedTextsAsync(run, video, segments, ct);
        await EmbedKeyframesAsync(run, video, imageModel, segments, ct);
        // One save for everything: a crash before it leaves the stage to be redone whole, one after it is checkpointed.
        await context.SaveChangesAsync(db, ct);
        return StageResult.Done(segments.Count);
    }

    private async Task CaptionAsync(EnrichmentOptions run, Video video, List<Segment> segments, CancellationToken ct)
    {
        if (vision is null)
        {
            logger.LogInformation("Captions of video {VideoId} skipped: no vision model", video.Id);
            return;
        }
        var captioner = new KeyframeCaptioner(vision, run);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, run.MaxParallelCalls), CancellationToken = ct };
        // Each task writes only its own segment's Caption; the context is saved after all of them finished.
        await Parallel.ForEachAsync(segments.Where(s => s.KeyframePath is { } path && media.Exists(path)), parallel, async (segment, token) =>
        {
            var jpeg = await ReadKeyframeAsync(segment.KeyframePath!, token);
            segment.Caption = await captioner.CaptionAsync(jpeg, new PromptValues(video.Title, segment.Transcript, segment.OcrText, null), token);
        });
    }

    private async Task ExtractKeywordsAsync(EnrichmentOptions run, Video video, List<Segment> segments, CancellationToken ct)
    {
        if (chat is null)
        {
            logger.LogInformation("Keywords and summary of video {VideoId} skipped: no chat model", video.Id);
            return;
        }
        var extractor = new KeywordExtractor(chat, run);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, run.MaxParallelCalls), CancellationToken = ct };
        await Parallel.ForEachAsync(segments, parallel, async (segment, token) =>
        {
            var values = Values(video, segment);
            segment.Keywords = values.IsEmpty ? [] : [.. await extractor.ExtractAsync(values, token)];
        });
    }

    private async Task SummarizeAsync(EnrichmentOptions run, Video video, List<Segment> segments, CancellationToken ct)
    {
        if (chat is null)
        {
            return;
        }
        video.Summary = await new VideoSummarizer(chat, run).SummarizeAsync(video.Title, segments.Select(s => Values(video, s)).ToList(), ct);
    }

    private async Task EmbedTextsAsync(EnrichmentOptions run, Video video, List<Segment> segments, CancellationToken ct)
    {
        if (embeddings is null)
        {
            logger.LogInformation("Text embeddings of video {VideoId} skipped: no embedding model", video.Id);
            return;
        }
        var found = await new SegmentEmbedder(run).EmbedTextsAsync(embeddings, segments.Select(s => SegmentText(video.Title, s)).ToList(), ct);
        var model = SegmentEmbeddingModels.TextModel(embeddings, run.EmbeddingModel?.Model);
        for (var i = 0; i < segments.Count; i++)
        {
            segments[i].TextEmbedding = found[i];
            segments[i].TextEmbeddingModel = model;
        }
    }

    private async Task EmbedKeyframesAsync(EnrichmentOptions run, Video video, string? model, List<Segment> segments, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return;
        }
        if (imageEmbeddings is null)
        {
            logger.LogInformation("Image embeddings of video {VideoId} skipped: the category names {Model} but no image embedding server is set",
                video.Id, model);
            return;
        }
        var withKeyframes = segments.Where(s => s.KeyframePath is { } path && media.Exists(path)).ToList();
        var jpegs = new List<byte[]>(withKeyframes.Count);
        foreach (var segment in withKeyframes)
        {
            jpegs.Add(await ReadKeyframeAsync(segment.KeyframePath!, ct));
        }
        var found = await new SegmentEmbedder(run).EmbedImagesAsync(imageEmbeddings, model, jpegs, ct);
        for (var i = 0; i < withKeyframes.Count; i++)
        {
            withKeyframes[i].ImageEmbedding = found[i];
            withKeyframes[i].ImageEmbeddingModel = model;
        }
    }

    private async Task<byte[]> ReadKeyframeAsync(string relativePath, CancellationToken ct)
    {
        await using var stream = media.OpenRead(relativePath);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static PromptValues Values(Video video, Segment segment) =>
        new(video.Title, segment.Transcript, segment.OcrText, segment.Caption);

    /// <summary>What a segment says and shows, with the video's title first when given (it disambiguates short segments).</summary>
    private static string SegmentText(string? title, Segment segment) =>
        string.Join('\n', new[] { title, segment.Transcript, segment.OcrText, segment.Caption }.Where(t => !string.IsNullOrWhiteSpace(t)));
}
