using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Veeky.Search.OpenSearch;

namespace Veeky.Search;

/// <summary>Registers the search index: OpenSearch when <c>ConnectionStrings:search</c> holds its URL (the distributed
/// edition), otherwise SQLite FTS5 plus in-memory vectors in <c>{DataDirectory}/search.db</c>.</summary>
public static class SearchServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddVeekySearch(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.HasOpenSearch())
        {
            return builder.AddOpenSearchIndex();
        }
        builder.AddValidatedOptions<SearchOptions>(SearchOptions.Section);
        builder.Services.AddSingleton<SqliteSearchIndex>();
        builder.Services.AddSingleton<ISearchIndex>(sp => sp.GetRequiredService<SqliteSearchIndex>());
        return builder;
    }
}
