using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Veeky.Indexer.Pipeline;
using Veeky.Indexer.Speech;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>
/// Brings the audio and video paths together: always assigns the transcript's words to segments by time. The AI parts
/// (captions, keywords, embeddings through <see cref="IChatClient"/> and <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/>)
/// run only when models are registered; they arrive with the enrichment issue.
/// </summary>
public sealed class EnrichStage(
    StageDatabase database,
    ILogger<EnrichStage> logger,
    IChatClient? chat = null,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null) : IPipelineStage
{
    public VideoStage Stage => VideoStage.Enriching;
    public IReadOnlyList<VideoStage> DependsOn => [VideoStage.ReadingText, VideoStage.Transcribing];
    /// <summary>Without models, a few database writes.</summary>
    public double Weight => 0.03;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        await using var db = database.Open();
        var transcript = await db.Videos.Where(v => v.Id == context.VideoId).Select(v => new { v.TranscriptJson })
            .FirstOrDefaultAsync(ct) ?? throw new VideoGoneException(context.VideoId);
        var segments = await db.Segments.Where(s => s.VideoId == context.VideoId).OrderBy(s => s.Index).ToListAsync(ct);

        var words = TranscriptJson.Deserialize(transcript.TranscriptJson);
        var texts = TranscriptAligner.Assign(words, segments.Select(s => (s.Start, s.End)).ToList());
        for (var i = 0; i < segments.Count; i++)
        {
            segments[i].Transcript = texts[i];
        }
        await db.SaveChangesAsync(ct);
        context.Progress.Report(0.5);

        if (chat is null && embeddings is null)
        {
            logger.LogInformation("AI enrichment of video {VideoId} skipped: no model", context.VideoId);
        }
        else
        {
            logger.LogInformation("AI enrichment of video {VideoId} skipped: captions, keywords and embeddings are not part of this version",
                context.VideoId);
        }
        return StageResult.Done(segments.Count);
    }
}
