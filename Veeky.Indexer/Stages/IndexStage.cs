using Microsoft.EntityFrameworkCore;
using Veeky.Indexer.Enrichment;
using Veeky.Indexer.Pipeline;
using Veeky.Search;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>Writes the video's search documents (one for the video, one per segment, with the embeddings
/// <see cref="EnrichStage"/> left in the work folder), replacing any earlier ones as one step.</summary>
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
        var document = new VideoDocument(video.Id, video.CategoryId, video.Title, video.Description, video.Keywords,
            video.Summary, video.CreatedAt);
        var vectors = await SegmentEmbeddings.LoadAsync(context.WorkFolder, ct);
        var segments = video.Segments.OrderBy(s => s.Index)
            .Select(s => new SegmentDocument(video.Id, s.Index, s.Start, s.End, s.Transcript, s.OcrText, s.Caption, s.Keywords,
                vectors.Text.GetValueOrDefault(s.Index), vectors.Image.GetValueOrDefault(s.Index)))
            .ToList();
        await index.ReplaceVideoAsync(document, segments, ct);
        return StageResult.Done(segments.Count);
    }
}
