namespace Veeky.Indexer.Pipeline;

/// <summary>The video was deleted while it was being indexed; the job stops quietly.</summary>
public sealed class VideoGoneException(Guid videoId) : Exception($"Video {videoId} no longer exists.")
{
    public Guid VideoId { get; } = videoId;
}
