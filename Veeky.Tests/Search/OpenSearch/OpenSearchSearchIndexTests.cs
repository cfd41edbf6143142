using Veeky.Search;
using Veeky.Search.OpenSearch;

namespace Veeky.Tests.Search.OpenSearch;

/// <summary>
/// The conformance suite against a real OpenSearch named by <c>VEEKY_TEST_OPENSEARCH</c> (its URL), each test under its own
/// index prefix, removed afterwards. Without the variable the tests are skipped, also under CI: OpenSearch is an
/// optional service there. With it set, an unreachable server fails the tests rather than skipping them.
/// </summary>
public sealed class OpenSearchSearchIndexTests : SearchIndexConformanceTests
{
    public const string Variable = "VEEKY_TEST_OPENSEARCH";

    private readonly string _prefix = $"veeky-test-{Guid.NewGuid():N}"[..24] + "-";
    private Uri? _url;

    public override async ValueTask InitializeAsync()
    {
        var url = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(url))
        {
            Assert.Skip($"{Variable} is not set (the URL of an OpenSearch 2.19+ with the k-NN and neural-search plugins)");
        }
        _url = new Uri(url);
        Assert.True(await OpenSearchTestIndex.Create(_url, _prefix).PingAsync(Ct), $"{Variable}={url} does not answer a healthy /_cluster/health");
        await base.InitializeAsync();
    }

    protected override Task<ISearchIndex> OpenIndexAsync() =>
        Task.FromResult<ISearchIndex>(OpenSearchTestIndex.Create(_url!, _prefix));

    public override async ValueTask DisposeAsync()
    {
        if (_url is not null)
        {
            using var http = new HttpClient { BaseAddress = _url };
            var schema = new OpenSearchSchema(_prefix);
            await http.DeleteAsync($"/{schema.VideosIndex},{schema.SegmentsIndex}?ignore_unavailable=true", CancellationToken.None);
            await http.DeleteAsync($"/_index_template/{schema.VideosTemplate}", CancellationToken.None);
            await http.DeleteAsync($"/_index_template/{schema.SegmentsTemplate}", CancellationToken.None);
            foreach (var legs in OpenSearchSchema.LegCombinations)
            {
                await http.DeleteAsync($"/_search/pipeline/{schema.PipelineName(legs)}", CancellationToken.None);
            }
        }
        await base.DisposeAsync();
    }
}
