namespace Veeky.Search;

/// <summary>
/// A search index that can be rewritten from the database (the source of truth), e.g. after the index was lost or its
/// mappings changed. Implemented by the concrete indexes, not by decorators such as the Redis search cache.
/// </summary>
public interface IRebuildableSearchIndex
{
    /// <summary>
    /// Replaces every video given (each as one step, searches keep answering), then removes whatever was indexed before
    /// the rebuild began and was not rewritten (videos since deleted or no longer complete). Returns the videos indexed.
    /// </summary>
    Task<int> RebuildAsync(IAsyncEnumerable<(VideoDocument Video, IReadOnlyList<SegmentDocument> Segments)> videos,
        CancellationToken ct = default);
}
