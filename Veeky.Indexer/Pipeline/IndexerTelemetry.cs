using System.Diagnostics;

namespace Veeky.Indexer.Pipeline;

/// <summary>The indexer's trace source: one span per job and one per stage, so a video's indexing is one trace.</summary>
public static class IndexerTelemetry
{
    public const string SourceName = "Veeky.Indexer";

    public static readonly ActivitySource Source = new(SourceName);

    public const string VideoIdTag = "veeky.video_id";
    public const string StageTag = "veeky.stage";
    public const string SegmentCountTag = "veeky.segment_count";
}
