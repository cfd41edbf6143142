using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Veeky.Search;

/// <summary>Registers the search index: SQLite FTS5 in <c>{DataDirectory}/search.db</c>.</summary>
public static class SearchServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddVeekySearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ISearchIndex, SqliteSearchIndex>();
        return builder;
    }
}
