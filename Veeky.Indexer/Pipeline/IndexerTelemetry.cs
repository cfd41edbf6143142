using System.Diagnostics;
using System.Diagnostics.Metrics;
using Veeky.Videos;

namespace Veeky.Indexer.Pipeline;

/// <summary>The indexer's trace source and meter: one span per job and one per stage, so a video's indexing is one
/// trace; how long each stage takes and how many jobs wait, under Metrics in the dashboard.</summary>
public static class IndexerTelemetry
{
    public const string SourceName = "Veeky.Indexer";

    public static readonly ActivitySource Source = new(SourceName);

    public static readonly Meter Meter = new(SourceName);

    public const string VideoIdTag = "veeky.video_id";
    public const string StageTag = "veeky.stage";
    public const string SegmentCountTag = "veeky.segment_count";

    /// <summary>Seconds a stage took, tagged with the stage and whether it succeeded.</summary>
    public static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>(
        "veeky.indexer.stage.duration", unit: "s", description: "Time a pipeline stage took for one video");

    private static long _queuedJobs;

    /// <summary>Jobs waiting to be claimed, as last counted by <see cref="QueueDepthSampler"/>.</summary>
    public static readonly ObservableGauge<long> QueueDepth = Meter.CreateObservableGauge(
        "veeky.indexer.queue.depth", () => Interlocked.Read(ref _queuedJobs), unit: "{job}",
        description: "Indexing jobs waiting to be claimed");

    internal static void ObserveQueueDepth(long queued) => Interlocked.Exchange(ref _queuedJobs, queued);

    /// <summary>The span name of a stage: the step it does (Probe, DetectScenes, … Index), as the README and the stage
    /// classes name it, where <see cref="VideoStage"/> names the state a video is in meanwhile (Probing, …).</summary>
    public static string SpanName(VideoStage stage) => stage switch
    {
        VideoStage.Downloading => "Download",
        VideoStage.Probing => "Probe",
        VideoStage.DetectingScenes => "DetectScenes",
        VideoStage.ExtractingKeyframes => "ExtractKeyframes",
        VideoStage.Transcribing => "Transcribe",
        VideoStage.ReadingText => "ReadText",
        VideoStage.Enriching => "Enrich",
        VideoStage.Indexing => "Index",
        _ => stage.ToString(),
    };
}
