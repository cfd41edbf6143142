using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Veeky.Search.OpenSearch;

/// <summary>Registers <see cref="OpenSearchIndex"/> as the <see cref="ISearchIndex"/>, at the URL in <c>ConnectionStrings:search</c>.</summary>
public static class OpenSearchServiceCollectionExtensions
{
    public const string ConnectionName = "search";

    /// <summary>Whether configuration names an OpenSearch server, i.e. whether the distributed search index is wanted.</summary>
    public static bool HasOpenSearch(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionName));

    public static IHostApplicationBuilder AddOpenSearchIndex(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<SearchOptions>(SearchOptions.Section);
        builder.Services.AddOptions<OpenSearchOptions>()
            .Bind(builder.Configuration.GetSection(OpenSearchOptions.Section))
            .Configure(o =>
            {
                if (builder.Configuration.GetConnectionString(ConnectionName) is { Length: > 0 } url)
                {
                    o.Endpoint = new Uri(url, UriKind.Absolute);
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(OpenSearchTransport.HttpClientName);
        builder.Services.AddSingleton<OpenSearchTransport>();
        builder.Services.AddSingleton<OpenSearchIndex>();
        return builder;
    }
}
