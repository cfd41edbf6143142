using Veeky.Videos;

namespace Veeky.Indexer.Pipeline;

/// <summary>
/// One step of indexing a video. A stage reads what earlier stages stored in the database, does its work, and saves
/// its own result before returning; running it again replaces that result (retries must be safe).
/// </summary>
public interface IPipelineStage
{
    /// <summary>The stage this class performs; also its checkpoint name.</summary>
    VideoStage Stage { get; }

    /// <summary>Stages whose results this one reads; it starts once they are all done.</summary>
    IReadOnlyList<VideoStage> DependsOn { get; }

    /// <summary>Share of the whole job's cost, for the progress shown to users (the weights add up to about 1).</summary>
    double Weight { get; }

    Task<StageResult> RunAsync(StageContext context, CancellationToken ct);
}

/// <summary>What a stage is given: the video, its working folder and where to report its own progress (0..1).</summary>
public sealed record StageContext(Guid VideoId, string WorkFolder, IProgress<double> Progress);

/// <summary>How a stage ended: <see cref="SkippedReason"/> is set when a tool or model is missing.</summary>
public sealed record StageResult(int? SegmentCount = null, string? SkippedReason = null)
{
    public static StageResult Done(int? segmentCount = null) => new(segmentCount);

    public static StageResult Skipped(string reason) => new(null, reason);
}
