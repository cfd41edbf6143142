using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Indexer.Media;
using Veeky.Indexer.Pipeline;
using Veeky.Media;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>Takes one JPEG per segment at its mid-point, and the video's thumbnail from the longest segment.</summary>
public sealed class ExtractKeyframesStage(
    StageDatabase database, IMediaStore media, KeyframeExtractor extractor, IOptions<KeyframeOptions> options)
    : IPipelineStage
{
    public VideoStage Stage => VideoStage.ExtractingKeyframes;
    public IReadOnlyList<VideoStage> DependsOn => [VideoStage.DetectingScenes];
    /// <summary>A seek and a short decode per segment.</summary>
    public double Weight => 0.08;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        await using var db = database.Open();
        var storagePath = await db.Videos.Where(v => v.Id == context.VideoId).Select(v => v.StoragePath).FirstOrDefaultAsync(ct)
            ?? throw new VideoGoneException(context.VideoId);
        var videoPath = media.GetFullPath(storagePath);
        var segments = await db.Segments.Where(s => s.VideoId == context.VideoId).OrderBy(s => s.Index).ToListAsync(ct);

        var done = 0;
        await Parallel.ForEachAsync(segments,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct },
            async (segment, token) =>
            {
                var time = Math.Round((segment.Start + segment.End) / 2, 3);
                var relative = media.KeyframePath(context.VideoId, segment.Index);
                await extractor.ExtractAsync(videoPath, time, media.GetFullPath(relative), token);
                segment.KeyframePath = relative;
                segment.KeyframeTime = time;
                context.Progress.Report((double)Interlocked.Increment(ref done) / segments.Count);
            });

        // The longest scene is the likeliest to show what the video is about (intros and cards are short).
        if (segments.MaxBy(s => s.End - s.Start) is { KeyframePath: { } keyframe })
        {
            await extractor.ThumbnailAsync(media.GetFullPath(keyframe), media.GetFullPath(media.ThumbnailPath(context.VideoId)), ct);
        }
        await db.SaveChangesAsync(ct);
        return StageResult.Done(segments.Count);
    }
}
