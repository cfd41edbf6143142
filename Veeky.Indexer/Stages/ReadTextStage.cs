using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Indexer.Pipeline;
using Veeky.Indexer.Text;
using Veeky.Media;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>Reads on-screen text from each segment's keyframe with tesseract; skipped when tesseract is not installed.</summary>
public sealed class ReadTextStage(
    StageDatabase database, IMediaStore media, TesseractOcr ocr, IOptions<TextReadingOptions> options) : IPipelineStage
{
    public VideoStage Stage => VideoStage.ReadingText;
    public IReadOnlyList<VideoStage> DependsOn => [VideoStage.ExtractingKeyframes];
    /// <summary>About a third of a second per keyframe.</summary>
    public double Weight => 0.12;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        await using var db = database.Open();
        var height = await db.Videos.Where(v => v.Id == context.VideoId).Select(v => v.Height).FirstOrDefaultAsync(ct) ?? 0;
        var segments = await db.Segments.Where(s => s.VideoId == context.VideoId).OrderBy(s => s.Index).ToListAsync(ct);
        if (!ocr.IsAvailable)
        {
            segments.ForEach(s => s.OcrText = null);
            await context.SaveChangesAsync(db, ct);
            return StageResult.Skipped($"{ocr.ToolName} is not installed (scripts/setup.sh installs tesseract-ocr)");
        }

        var done = 0;
        await Parallel.ForEachAsync(segments,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct },
            async (segment, token) =>
            {
                var text = segment.KeyframePath is { } keyframe && media.Exists(keyframe)
                    ? await ocr.ReadAsync(media.GetFullPath(keyframe), height, context.WorkFolder, token)
                    : "";
                segment.OcrText = text.Length == 0 ? null : text;
                context.Progress.Report((double)Interlocked.Increment(ref done) / segments.Count);
            });
        await context.SaveChangesAsync(db, ct);
        return StageResult.Done(segments.Count);
    }
}
