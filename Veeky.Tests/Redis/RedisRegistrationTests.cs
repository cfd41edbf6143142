using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Veeky.Progress;
using Veeky.Redis;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary>AddVeekyRedis switches progress and search caching to Redis only when a Redis connection string is set, and
/// a host so configured starts, reports and recovers whether or not Redis answers.</summary>
public sealed class RedisRegistrationTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static HostApplicationBuilder Builder(string? redis, ILoggerProvider? log = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (redis is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:redis", redis)]);
        }
        builder.Services.AddLogging(logging =>
        {
            if (log is not null)
            {
                logging.AddProvider(log);
            }
        });
        builder.Services.AddSingleton<IProgressBroadcaster, InProcessProgressBroadcaster>();
        builder.Services.AddSingleton<ISearchIndex, CountingSearchIndex>();
        return builder;
    }

    [Fact]
    public async Task With_a_Redis_connection_string_progress_goes_through_Redis_and_searches_through_the_cache()
    {
        await using var server = await RedisServer.StartAsync();
        var builder = Builder(server.ConnectionString);
        builder.AddVeekyRedis();
        builder.AddVeekyRedis();
        await using var services = builder.Services.BuildServiceProvider(validateScopes: true);

        Assert.IsType<RedisProgressBroadcaster>(services.GetRequiredService<IProgressBroadcaster>());
        Assert.NotNull(services.GetService<RedisSearchCache>());
        Assert.Single(services.GetServices<IProgressBroadcaster>());
        Assert.Single(services.GetServices<RedisSearchCache>());
        // From Aspire's client integration, on the server the connection string names.
        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        Assert.Equal($"127.0.0.1:{server.Port}", EndPointCollection.ToString(Assert.Single(redis.GetEndPoints())));
        // Called twice, registered once: no cache wrapped around the cache; one health check, Veeky's.
        var checks = services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        Assert.Equal("redis", Assert.Single(checks).Name);
    }

    [Fact]
    public async Task Without_one_everything_stays_in_process()
    {
        var builder = Builder(redis: null);
        builder.AddVeekyRedis();
        await using var services = builder.Services.BuildServiceProvider(validateScopes: true);

        Assert.IsType<InProcessProgressBroadcaster>(services.GetRequiredService<IProgressBroadcaster>());
        Assert.Null(services.GetService<RedisSearchCache>());
        Assert.Null(services.GetService<IConnectionMultiplexer>());
    }

    [Theory]
    [InlineData("password=only")]
    [InlineData("127.0.0.1:6379,nosuchoption=1")]
    public void A_malformed_connection_string_stops_start_up_with_a_sentence_naming_the_setting(string connectionString)
    {
        var builder = Builder(connectionString);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddVeekyRedis());

        Assert.StartsWith("ConnectionStrings:redis ", error.Message);
    }

    [Fact]
    public async Task A_host_starts_with_Redis_down_logs_one_line_per_outage_reports_it_unhealthy_and_recovers_by_itself()
    {
        await using var server = await RedisServer.StartAsync();
        await server.KillAsync();
        var log = new ApiLogSink();
        var builder = Builder(server.ConnectionString, log);
        builder.AddVeekyRedis();
        using var host = builder.Build();
        var ct = TestContext.Current.CancellationToken;

        await host.StartAsync(ct);
        await host.Services.GetRequiredService<RedisConnectionLog>().Connected.WaitAsync(Patience, ct);
        var unreachable = $"Redis at 127.0.0.1:{server.Port} is unreachable";

        var health = await RedisHealthAsync(host);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.StartsWith($"{unreachable} (UnableToConnect: Connection refused)", health.Description);
        // Reconnection attempts run every 250 ms to 5 s: after a few seconds several have failed, and still the log
        // holds one line, which says why.
        await Task.Delay(TimeSpan.FromSeconds(4), ct);
        var line = Assert.Single(OutageLines(log, unreachable));
        Assert.Contains("Connection refused", line);

        await server.StartAsync();
        Assert.True(await Eventually.TrueAsync(async () => (await RedisHealthAsync(host)).Status == HealthStatus.Healthy, Patience));

        await server.KillAsync();
        Assert.True(await Eventually.TrueAsync(async () => (await RedisHealthAsync(host)).Status == HealthStatus.Unhealthy, Patience));
        await Task.Delay(TimeSpan.FromSeconds(4), ct);
        Assert.Equal(2, OutageLines(log, unreachable).Count);
        await host.StopAsync(ct);
    }

    /// <summary>The outage lines, after checking that nothing else was logged as a warning or error but the health
    /// service's own line per unhealthy probe (its way for every check).</summary>
    private static List<string> OutageLines(ApiLogSink log, string unreachable)
    {
        var others = log.Messages.Where(m => !m.StartsWith("Health check redis with status Unhealthy", StringComparison.Ordinal)).ToList();
        Assert.All(others, m => Assert.StartsWith(unreachable, m));
        return others;
    }

    private static async Task<HealthReportEntry> RedisHealthAsync(IHost host)
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "redis");
        return report.Entries["redis"];
    }
}
