using Microsoft.EntityFrameworkCore;
using Veeky.Indexer.Pipeline;
using Veeky.Media;
using Veeky.Videos;

namespace Veeky.Indexer.Stages;

/// <summary>Reads duration, size, frame rate and audio presence with ffprobe; refuses what is not a video.</summary>
public sealed class ProbeStage(StageDatabase database, IMediaStore media, IMediaProbe probe, TimeProvider clock) : IPipelineStage
{
    public VideoStage Stage => VideoStage.Probing;
    public IReadOnlyList<VideoStage> DependsOn => [VideoStage.Downloading];
    /// <summary>Reads headers only: a moment.</summary>
    public double Weight => 0.02;

    public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
    {
        await using var db = database.Open();
        var video = await db.Videos.FirstOrDefaultAsync(v => v.Id == context.VideoId, ct)
            ?? throw new VideoGoneException(context.VideoId);
        var info = await probe.ProbeAsync(media.GetFullPath(video.StoragePath), ct)
            ?? throw new InvalidDataException("The file is not a readable video (ffprobe found no video stream with a duration).");
        video.ApplyProbe(info);
        video.UpdatedAt = clock.GetUtcNow();
        await context.SaveChangesAsync(db, ct);
        return StageResult.Done();
    }
}
