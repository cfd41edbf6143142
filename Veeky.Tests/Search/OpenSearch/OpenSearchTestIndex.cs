using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Search;
using Veeky.Search.OpenSearch;

namespace Veeky.Tests.Search.OpenSearch;

/// <summary>Opens an <see cref="OpenSearchIndex"/> at a URL the way the host would, with retries that do not wait long.</summary>
public static class OpenSearchTestIndex
{
    private static readonly IHttpClientFactory HttpClients =
        new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();

    public static OpenSearchIndex Create(Uri url, string prefix = "veeky-", Action<OpenSearchOptions>? configure = null,
        SearchOptions? search = null)
    {
        var options = new OpenSearchOptions { Endpoint = url, IndexPrefix = prefix, RetryBaseDelay = TimeSpan.FromMilliseconds(1) };
        configure?.Invoke(options);
        var transport = new OpenSearchTransport(HttpClients, Options.Create(options), NullLogger<OpenSearchTransport>.Instance);
        return new OpenSearchIndex(transport, Options.Create(options), Options.Create(search ?? new SearchOptions()),
            NullLogger<OpenSearchIndex>.Instance);
    }
}
