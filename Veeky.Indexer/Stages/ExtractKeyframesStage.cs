using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.Indexer.Media;
using Veeky.Indexer.Pipeline;
using Veeky.Media;
using Veeky.Processes;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>Gives each segment one JPEG from its middle and a small copy of it, and the video a thumbnail from its longest segment. The frame
/// comes from those the scene pass saved; only when they are gone (a retry on another machine) is it taken by a seek. A
/// segment where the picture has already ended (audio that outlasts it) shows the last picture before it, as a player
/// does, or, with none near, no keyframe at all.</summary>
public sealed class ExtractKeyframesStage(
    StageDatabase database, IMediaStore media, KeyframeExtractor extractor, IOptions<KeyframeOptions> options,
    IOptions<SceneDetectionOptions> sceneOptions, ILogger<ExtractKeyframesStage> logger)
    : IPipelineStage
{
    public VideoStage Stage => VideoStage.ExtractingKeyframes;
    public IReadOnlyList<VideoStage> DependsOn => [VideoStage.DetectingScenes];
    /// <summary>Mostly file copies; a seek and a short decode per segment when the scene pass's frames are gone.</summary>
    public double Weight => 0.04;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        await using var db = database.Open();
        var storagePath = await db.Videos.Where(v => v.Id == context.VideoId).Select(v => v.StoragePath).FirstOrDefaultAsync(ct)
            ?? throw new VideoGoneException(context.VideoId);
        var videoPath = media.GetFullPath(storagePath);
        var segments = await db.Segments.Where(s => s.VideoId == context.VideoId).OrderBy(s => s.Index).ToListAsync(ct);

        var framesFolder = Path.Combine(context.WorkFolder, SceneDetector.FramesFolderName);
        var scan = new SceneScan([], framesFolder, sceneOptions.Value.CandidateFrameSeconds);
        var done = 0;
        await Parallel.ForEachAsync(segments,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.Parallelism, CancellationToken = ct },
            async (segment, token) =>
            {
                var middle = Math.Round((segment.Start + segment.End) / 2, 3);
                var relative = media.KeyframePath(context.VideoId, segment.Index);
                var target = media.GetFullPath(relative);
                double? time;
                if (scan.FrameNear(middle, segment.Start, segment.End) is { } candidate)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(candidate.Path, target, overwrite: true);
                    time = candidate.Time;
                }
                else if (await SeekAsync(videoPath, middle, target, token))
                {
                    time = middle;
                }
                else if (await extractor.ExtractLastBeforeAsync(videoPath, middle, target, token))
                {
                    time = null; // somewhere before the segment: the picture ended earlier
                }
                else
                {
                    logger.LogWarning("Segment {Index} of video {VideoId} ({Start:0.##}-{End:0.##} s) has no picture within {LookBack} s before it; it gets no keyframe",
                        segment.Index, context.VideoId, segment.Start, segment.End, KeyframeExtractor.LookBack.TotalSeconds);
                    segment.KeyframePath = null;
                    segment.KeyframeTime = null;
                    context.Progress.Report((double)Interlocked.Increment(ref done) / segments.Count);
                    return;
                }
                segment.KeyframePath = relative;
                segment.KeyframeTime = time;
                context.Progress.Report((double)Interlocked.Increment(ref done) / segments.Count);
            });

        // Small copies for result tiles and the timeline (a 1280x720 keyframe is ~55 KB, its 320 px copy a few KB).
        await extractor.ThumbnailsAsync(segments.Where(s => s.KeyframePath is not null)
            .Select(s => (media.GetFullPath(s.KeyframePath!), media.GetFullPath(media.SegmentThumbnailPath(context.VideoId, s.Index))))
            .ToList(), ct);

        // The longest scene is the likeliest to show what the video is about (intros and cards are short).
        if (segments.Where(s => s.KeyframePath is not null).MaxBy(s => s.End - s.Start) is { KeyframePath: { } keyframe })
        {
            await extractor.ThumbnailAsync(media.GetFullPath(keyframe), media.GetFullPath(media.ThumbnailPath(context.VideoId)), ct);
        }
        await context.SaveChangesAsync(db, ct);
        if (Directory.Exists(framesFolder))
        {
            Directory.Delete(framesFolder, recursive: true);
        }
        return StageResult.Done(segments.Count);
    }

    /// <summary>The frame at <paramref name="seconds"/>; false when there is none. A seek ffmpeg fails on (damaged data
    /// there) is logged with its detail and answered by the look-back instead of failing the whole video.</summary>
    private async Task<bool> SeekAsync(string videoPath, double seconds, string target, CancellationToken ct)
    {
        try
        {
            return await extractor.ExtractAsync(videoPath, seconds, target, ct);
        }
        catch (ProcessFailedException ex)
        {
            logger.LogWarning(ex, "ffmpeg could not take the frame at {Seconds:0.###} s of {Video}; looking back for the last picture before it",
                seconds, videoPath);
            return false;
        }
    }
}
