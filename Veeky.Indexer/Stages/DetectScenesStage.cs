using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Indexer.Media;
using Veeky.Indexer.Pipeline;
using Veeky.Media;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>Cuts the video into segments at scene changes, and from the same decode keeps candidate keyframes for
/// <see cref="ExtractKeyframesStage"/>; replaces any segments and keyframes of an earlier run.</summary>
public sealed class DetectScenesStage(
    StageDatabase database, IMediaStore media, SceneDetector detector, IOptions<SceneDetectionOptions> options, TimeProvider clock)
    : IPipelineStage
{
    public VideoStage Stage => VideoStage.DetectingScenes;
    public IReadOnlyList<VideoStage> DependsOn => [VideoStage.Probing];
    /// <summary>One full decode of the video: the heaviest part of the video path.</summary>
    public double Weight => 0.30;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        var settings = options.Value;
        string storagePath;
        double duration;
        await using (var db = database.Open())
        {
            var video = await db.Videos.AsNoTracking().Where(v => v.Id == context.VideoId)
                .Select(v => new { v.StoragePath, v.DurationSeconds }).FirstOrDefaultAsync(ct)
                ?? throw new VideoGoneException(context.VideoId);
            storagePath = video.StoragePath;
            duration = video.DurationSeconds ?? throw new InvalidOperationException("The video has not been probed.");
        }

        var framesFolder = Path.Combine(context.WorkFolder, SceneDetector.FramesFolderName);
        var scan = await detector.ScanAsync(media.GetFullPath(storagePath), duration, context.WorkFolder, framesFolder, context.Progress, ct);
        var spans = SegmentPlanner.Plan(scan.Cuts, duration, settings.MinSegmentSeconds, settings.MaxSegmentSeconds);

        await using (var db = database.Open())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await context.ConfirmLeaseAsync(db, ct);
            await db.Segments.Where(s => s.VideoId == context.VideoId).ExecuteDeleteAsync(ct);
            db.Segments.AddRange(spans.Select((span, index) => new Segment
            {
                VideoId = context.VideoId,
                Index = index,
                Start = span.Start,
                End = span.End,
            }));
            var now = clock.GetUtcNow();
            var updated = await db.Videos.Where(v => v.Id == context.VideoId)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.SegmentCount, spans.Count).SetProperty(v => v.UpdatedAt, now), ct);
            if (updated == 0)
            {
                throw new VideoGoneException(context.VideoId);
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        // Keyframes of the old segments would otherwise linger beside (or under the names of) the new ones.
        var keyframes = Path.GetDirectoryName(media.GetFullPath(media.KeyframePath(context.VideoId, 0)))!;
        if (Directory.Exists(keyframes))
        {
            Directory.Delete(keyframes, recursive: true);
        }
        return StageResult.Done(spans.Count);
    }
}
