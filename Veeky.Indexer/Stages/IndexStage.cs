using Microsoft.EntityFrameworkCore;
using Veeky.Indexer.Pipeline;
using Veeky.Search;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>Writes the video's search documents (one for the video, one per segment, with the embeddings
/// <see cref="EnrichStage"/> stored on the segments), replacing any earlier ones as one step. The write happens while
/// the job's lease is confirmed and locked, so a worker whose job was taken over never overwrites its successor's.</summary>
public sealed class IndexStage(StageDatabase database, ISearchIndex index) : IPipelineStage
{
    public VideoStage Stage => VideoStage.Indexing;
    public IReadOnlyList<VideoStage> DependsOn => [VideoStage.Enriching];
    /// <summary>Full-text indexing of a few hundred short documents.</summary>
    public double Weight => 0.10;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        await using var db = database.Open();
        var video = await db.Videos.AsNoTracking().Include(v => v.Segments).AsSplitQuery()
            .FirstOrDefaultAsync(v => v.Id == context.VideoId, ct) ?? throw new VideoGoneException(context.VideoId);
        var document = VideoDocument.From(video);
        var segments = video.Segments.OrderBy(s => s.Index)
            .Select(s => SegmentDocument.From(s, s.TextEmbedding, s.ImageEmbedding))
            .ToList();
        await context.SaveAsync(db, async () =>
        {
            await index.ReplaceVideoAsync(document, segments, ct);
            return segments.Count;
        }, ct);
        return StageResult.Done(segments.Count);
    }
}
