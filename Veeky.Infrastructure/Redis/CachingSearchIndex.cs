using Veeky.Search;

namespace Veeky.Redis;

/// <summary>
/// Puts <see cref="RedisSearchCache"/> in front of the real index: searches are answered from the cache when it holds
/// the answer for the caller's scope, and every write invalidates the answers it can change once the inner index has
/// taken it. With Redis unreachable everything goes straight to the inner index.
/// </summary>
public sealed class CachingSearchIndex(ISearchIndex inner, RedisSearchCache cache) : ISearchIndex
{
    public Task InitializeAsync(CancellationToken ct = default) => inner.InitializeAsync(ct);

    public async Task ReplaceVideoAsync(VideoDocument video, IReadOnlyList<SegmentDocument> segments, CancellationToken ct = default)
    {
        await inner.ReplaceVideoAsync(video, segments, ct);
        // After the write: a search racing with it may cache the old answer, but under the old generation. Not the
        // caller's token: once the index has changed, skipping the invalidation would serve stale answers.
        await cache.VideoChangedAsync(video.VideoId, video.CategoryId, CancellationToken.None);
    }

    public async Task UpdateVideoAsync(VideoDocument video, CancellationToken ct = default)
    {
        await inner.UpdateVideoAsync(video, ct);
        await cache.VideoChangedAsync(video.VideoId, video.CategoryId, CancellationToken.None);
    }

    public async Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default)
    {
        await inner.DeleteVideoAsync(videoId, ct);
        await cache.VideoChangedAsync(videoId, categoryId: null, CancellationToken.None);
    }

    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken ct = default)
    {
        var key = await cache.KeyForAsync(request, ct);
        if (key is not null && await cache.GetAsync(key, ct) is { } cached)
        {
            // On the search span around this call (SearchTelemetry), so traces tell cached answers from computed ones.
            System.Diagnostics.Activity.Current?.SetTag(SearchTelemetry.CacheHitTag, true);
            return cached;
        }
        System.Diagnostics.Activity.Current?.SetTag(SearchTelemetry.CacheHitTag, false);
        var result = await inner.SearchAsync(request, ct);
        if (key is not null)
        {
            await cache.SetAsync(key, result, ct);
        }
        return result;
    }

    public Task<bool> PingAsync(CancellationToken ct = default) => inner.PingAsync(ct);
}
