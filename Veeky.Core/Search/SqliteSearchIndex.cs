namespace Veeky.Search;

// PLACEHOLDER until the FTS5 implementation lands: stores nothing, finds nothing.
public sealed class SqliteSearchIndex : ISearchIndex
{
    public Task InitializeAsync(CancellationToken ct = default) => Task.CompletedTask;
    public Task ReplaceVideoAsync(VideoDocument video, IReadOnlyList<SegmentDocument> segments, CancellationToken ct = default) => Task.CompletedTask;
    public Task UpdateVideoAsync(VideoDocument video, CancellationToken ct = default) => Task.CompletedTask;
    public Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default) => Task.CompletedTask;
    public Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken ct = default) =>
        Task.FromResult(new SearchResult(SearchMode.Text, 0, []));
    public Task<bool> PingAsync(CancellationToken ct = default) => Task.FromResult(true);
}
