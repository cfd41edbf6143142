using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Veeky.Redis;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Search;

/// <summary>The search index callers get is composed in one place: spans, then the Redis cache when configured, then
/// the index that answers; the order the registrations are made in decides nothing.</summary>
public sealed class SearchIndexCompositionTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task With_Redis_callers_get_spans_around_the_cache_around_the_index_whichever_is_registered_first(bool redisFirst)
    {
        await using var redis = await RedisServer.StartAsync();
        using var data = new TempFolder();
        // No default logging: EF would write every command to the test output.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Veeky:DataDirectory"] = data.Path,
            ["ConnectionStrings:redis"] = redis.ConnectionString,
        });

        if (redisFirst)
        {
            builder.AddVeekyRedis();
            builder.AddVeekySearch();
        }
        else
        {
            builder.AddVeekySearch();
            builder.AddVeekyRedis();
        }
        using var host = builder.Build();

        var traced = Assert.IsType<TracingSearchIndex>(host.Services.GetRequiredService<ISearchIndex>());
        Assert.IsType<CachingSearchIndex>(traced.Inner);
        Assert.Single(host.Services.GetServices<ISearchIndex>());
    }

    [Fact]
    public void Without_Redis_callers_get_spans_around_the_index_itself()
    {
        using var data = new TempFolder();
        // No default logging: EF would write every command to the test output.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Veeky:DataDirectory"] = data.Path });

        builder.AddVeekySearch();
        builder.AddVeekyRedis();
        using var host = builder.Build();

        var traced = Assert.IsType<TracingSearchIndex>(host.Services.GetRequiredService<ISearchIndex>());
        Assert.IsType<SqliteSearchIndex>(traced.Inner);
    }
}
