using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Redis;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>Every search is a <c>Veeky.Search</c> span with its mode, hits, time, index and filters but never the query
/// text; on Redis (the storage switch) the span also says whether the cache answered.</summary>
[Collection(ApiCollection.Name)]
public sealed class SearchSpanTests(ApiFixture api) : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == SearchTelemetry.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    [Fact]
    public async Task A_search_is_a_span_with_mode_hits_index_and_filters_but_not_the_query_text()
    {
        _listener.ActivityStopped = _spans.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var seeded = await api.SeedVideoAsync(api.Visible, api.Editor.Id, "Telemetry walrus colony");
        var index = api.Factory.Services.GetRequiredService<ISearchIndex>();
        var scope = new AccessScope(api.Reader.Id, Roles.User, new HashSet<Guid> { api.Visible });
        const string query = "walrus colony";

        using var test = new Activity("test").Start();
        var started = Stopwatch.GetTimestamp();
        var first = await index.SearchAsync(new SearchRequest(query, scope, SearchMode.Text, CategoryId: api.Visible), Ct);
        var waitedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var second = await index.SearchAsync(new SearchRequest(query, scope, SearchMode.Text, CategoryId: api.Visible), Ct);
        test.Stop();

        Assert.Contains(first.Hits, h => h.VideoId == seeded.Id);
        var spans = _spans.Where(s => s.TraceId == test.TraceId).ToList();
        Assert.Equal(2, spans.Count);
        var span = spans[0];
        Assert.Equal("search", span.OperationName);
        Assert.Equal(test.SpanId, span.ParentSpanId);
        Assert.Equal("text", span.GetTagItem(SearchTelemetry.ModeTag));
        Assert.Equal("text", span.GetTagItem(SearchTelemetry.RequestedModeTag));
        Assert.Equal(first.Hits.Count, span.GetTagItem(SearchTelemetry.HitsTag));
        Assert.Equal(first.Total, span.GetTagItem(SearchTelemetry.TotalTag));
        Assert.Equal(query.Length, span.GetTagItem(SearchTelemetry.QueryLengthTag));
        Assert.Equal(true, span.GetTagItem(SearchTelemetry.CategoryFilterTag));
        Assert.Equal(false, span.GetTagItem(SearchTelemetry.VideoFilterTag));
        Assert.Equal(true, span.GetTagItem(SearchTelemetry.ScopeRestrictedTag));
        // The search's own time: some, and no more than the caller waited for it.
        Assert.InRange(Assert.IsType<double>(span.GetTagItem(SearchTelemetry.TookMsTag)), 0.001, waitedMs);
        var kind = api.Factory.Services.GetService<Veeky.Search.OpenSearch.OpenSearchIndex>() is null ? "sqlite" : "opensearch";
        Assert.Equal(kind, span.GetTagItem(SearchTelemetry.IndexTag));
        Assert.DoesNotContain(span.TagObjects, t => t.Value is string s && s.Contains("walrus", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("walrus", span.DisplayName, StringComparison.OrdinalIgnoreCase);
        if (api.Factory.Services.GetService<RedisSearchCache>() is null)
        {
            Assert.Null(span.GetTagItem(SearchTelemetry.CacheHitTag));
        }
        else
        {
            Assert.Equal(false, span.GetTagItem(SearchTelemetry.CacheHitTag));
            Assert.Equal(true, spans[1].GetTagItem(SearchTelemetry.CacheHitTag));
            Assert.Equal(second.Hits.Select(h => h.VideoId), first.Hits.Select(h => h.VideoId));
        }
    }

    [Fact]
    public async Task A_search_the_redis_cache_answers_says_so_on_its_span_and_one_it_misses_too()
    {
        // Whatever the storage switch, on a Redis of its own: the API hosts' spans above carry the tag only on Redis.
        await using var redisServer = await RedisServer.StartAsync();
        await using var redis = await redisServer.ConnectAsync();
        _listener.ActivityStopped = _spans.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var cache = new RedisSearchCache(redis, Microsoft.Extensions.Options.Options.Create(new RedisOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisSearchCache>.Instance);
        var index = new TracingSearchIndex(new CachingSearchIndex(api.Factory.Services.GetRequiredService<ISearchIndex>(), cache), "test");
        var request = new SearchRequest($"walrus {Guid.NewGuid():N}", AccessScope.System, SearchMode.Text);

        using var test = new Activity("test").Start();
        await index.SearchAsync(request, Ct);
        await index.SearchAsync(request, Ct);
        test.Stop();

        // This index's spans only: the host's own traced index below the cache records one more on the miss.
        var spans = _spans.Where(s => s.TraceId == test.TraceId && "test".Equals(s.GetTagItem(SearchTelemetry.IndexTag))).ToList();
        Assert.Equal([false, true], spans.Select(s => s.GetTagItem(SearchTelemetry.CacheHitTag)));
    }

    [Fact]
    public void The_storage_switch_decides_the_database_and_redis_of_the_test_hosts()
    {
        var provider = api.Factory.Services.GetRequiredService<DatabaseProvider>();
        var redis = api.Factory.Services.GetService<StackExchange.Redis.IConnectionMultiplexer>();
        if (TestStorage.IsPostgresRedis)
        {
            Assert.Equal(DatabaseKind.Postgres, provider.Kind);
            Assert.NotNull(redis);
        }
        else
        {
            Assert.Equal(DatabaseKind.Sqlite, provider.Kind);
            Assert.Null(redis);
        }
    }

    public void Dispose() => _listener.Dispose();
}
