using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Veeky.Search;
using Veeky.Search.OpenSearch;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Search.OpenSearch;

/// <summary><c>AddOpenSearchIndex</c>: the index at the URL of <c>ConnectionStrings:search</c>, settings from <c>Veeky:Search</c>.</summary>
public sealed class OpenSearchRegistrationTests
{
    [Fact]
    public async Task The_search_connection_string_is_the_url_of_the_registered_index()
    {
        await using var server = await FakeOpenSearchServer.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:search"] = server.Url.ToString(),
            ["Veeky:Search:OpenSearch:IndexPrefix"] = "tenant1-",
            ["Veeky:Search:OpenSearch:TextDimensions"] = "768",
        });

        builder.AddOpenSearchIndex();
        using var host = builder.Build();
        var index = host.Services.GetRequiredService<OpenSearchIndex>();
        await index.InitializeAsync(TestContext.Current.CancellationToken);

        Assert.True(builder.Configuration.HasOpenSearch());
        Assert.Equal(server.Url, host.Services.GetRequiredService<IOptions<OpenSearchOptions>>().Value.Endpoint);
        Assert.Contains(server.Requests, r => r.Method == "PUT" && r.PathAndQuery == "/tenant1-segments");
        Assert.Equal(768, (int)server.Requests.Single(r => r.Is("PUT", "/tenant1-segments/_mapping")).Json["properties"]!["textEmbedding"]!["dimension"]!);
    }

    [Fact]
    public void Without_a_search_connection_string_there_is_no_opensearch_and_its_options_do_not_validate()
    {
        var builder = Host.CreateApplicationBuilder();

        builder.AddOpenSearchIndex();
        using var host = builder.Build();

        Assert.False(builder.Configuration.HasOpenSearch());
        Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<OpenSearchOptions>>().Value);
    }

    [Theory]
    [InlineData(true, typeof(OpenSearchIndex))]
    [InlineData(false, typeof(SqliteSearchIndex))]
    public void AddVeekySearch_picks_opensearch_only_when_its_connection_string_is_set(bool configured, Type expected)
    {
        using var data = new TempFolder();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Veeky:DataDirectory"] = data.Path,
            ["ConnectionStrings:search"] = configured ? "http://127.0.0.1:9200" : null,
        });

        builder.AddVeekySearch();
        using var host = builder.Build();

        var traced = Assert.IsType<TracingSearchIndex>(host.Services.GetRequiredService<ISearchIndex>());
        Assert.IsType(expected, traced.Inner);
    }
}
