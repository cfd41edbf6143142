using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Veeky.Search.OpenSearch;

namespace Veeky.Search;

/// <summary>Registers the search index: OpenSearch when <c>ConnectionStrings:search</c> holds its URL (the distributed
/// edition), otherwise SQLite FTS5 plus in-memory vectors in <c>{DataDirectory}/search.db</c>; callers get it as
/// <see cref="SearchIndexComposition"/> composes it.</summary>
public static class SearchServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddVeekySearch(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.HasOpenSearch())
        {
            builder.AddOpenSearchIndex();
        }
        else
        {
            builder.AddValidatedOptions<SearchOptions>(SearchOptions.Section);
            builder.Services.AddSingleton<SqliteSearchIndex>();
        }
        // Spans around the cache (when Redis is configured) around the index: see SearchIndexComposition.
        builder.Services.AddSingleton<ISearchIndex>(SearchIndexComposition.Compose);
        return builder;
    }
}
