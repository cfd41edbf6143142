using Veeky.Search;

namespace Veeky.Tests.Redis;

/// <summary>An inner index that answers every search with a fresh, recognisable result (its call number as the total),
/// so a test can tell a cached answer from a new one.</summary>
internal sealed class CountingSearchIndex : ISearchIndex
{
    private int _searches;

    public int Searches => _searches;

    public Task InitializeAsync(CancellationToken ct = default) => Task.CompletedTask;

    public Task ReplaceVideoAsync(VideoDocument video, IReadOnlyList<SegmentDocument> segments, CancellationToken ct = default) => Task.CompletedTask;

    public Task UpdateVideoAsync(VideoDocument video, CancellationToken ct = default) => Task.CompletedTask;

    public Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default) => Task.CompletedTask;

    public Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken ct = default)
    {
        var call = Interlocked.Increment(ref _searches);
        var hit = new SearchHit(Guid.NewGuid(), $"Answer {call}", request.Scope.CategoryIds.FirstOrDefault(), 3, 12.5, 18.0, 0.87,
            "the <mark>quarterly</mark> revenue", [SearchFields.Transcript, SearchFields.Ocr]);
        return Task.FromResult(new SearchResult(SearchMode.Text, call, [hit]));
    }

    public Task<bool> PingAsync(CancellationToken ct = default) => Task.FromResult(true);
}
