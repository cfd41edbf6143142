using Microsoft.Extensions.DependencyInjection;
using Veeky.Redis;
using Veeky.Search.OpenSearch;

namespace Veeky.Search;

/// <summary>
/// The one place the search index every caller gets is put together: spans outermost (so a span covers the cache too
/// and says whether it answered), then the Redis cache when <c>ConnectionStrings:redis</c> is set, then the index that
/// really answers (OpenSearch or SQLite). Registration order decides nothing.
/// </summary>
public static class SearchIndexComposition
{
    public static ISearchIndex Compose(IServiceProvider services)
    {
        var openSearch = services.GetService<OpenSearchIndex>();
        ISearchIndex index = openSearch ?? (ISearchIndex)services.GetRequiredService<SqliteSearchIndex>();
        return Compose(index, services.GetService<RedisSearchCache>(), openSearch is not null ? "opensearch" : "sqlite");
    }

    public static ISearchIndex Compose(ISearchIndex index, RedisSearchCache? cache, string indexKind) =>
        new TracingSearchIndex(cache is null ? index : new CachingSearchIndex(index, cache), indexKind);
}
