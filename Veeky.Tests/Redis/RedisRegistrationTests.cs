using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Veeky.Progress;
using Veeky.Redis;
using Veeky.Search;

namespace Veeky.Tests.Redis;

/// <summary>AddVeekyRedis switches progress and search caching to Redis only when a Redis connection string is set.</summary>
public sealed class RedisRegistrationTests
{
    private static HostApplicationBuilder Builder(string? redis)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (redis is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:redis", redis)]);
        }
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IProgressBroadcaster, InProcessProgressBroadcaster>();
        builder.Services.AddSingleton<ISearchIndex, CountingSearchIndex>();
        return builder;
    }

    [Fact]
    public async Task With_a_Redis_connection_string_progress_goes_through_Redis_and_searches_through_the_cache()
    {
        var builder = Builder("127.0.0.1:6399,password=x,abortConnect=false");
        builder.AddVeekyRedis();
        builder.AddVeekyRedis();
        await using var services = builder.Services.BuildServiceProvider(validateScopes: true);

        Assert.IsType<RedisProgressBroadcaster>(services.GetRequiredService<IProgressBroadcaster>());
        Assert.IsType<CachingSearchIndex>(services.GetRequiredService<ISearchIndex>());
        Assert.Single(services.GetServices<IProgressBroadcaster>());
        Assert.Single(services.GetServices<ISearchIndex>());
        Assert.Equal(6399, services.GetRequiredService<RedisConnectionSettings>().Port);
        // Called twice, registered once: no cache wrapped around the cache, one health check.
        Assert.Single(services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations, r => r.Name == "redis");
    }

    [Fact]
    public async Task Without_one_everything_stays_in_process()
    {
        var builder = Builder(redis: null);
        builder.AddVeekyRedis();
        await using var services = builder.Services.BuildServiceProvider(validateScopes: true);

        Assert.IsType<InProcessProgressBroadcaster>(services.GetRequiredService<IProgressBroadcaster>());
        Assert.IsType<CountingSearchIndex>(services.GetRequiredService<ISearchIndex>());
    }
}
