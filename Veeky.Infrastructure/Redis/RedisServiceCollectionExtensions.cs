using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Veeky.Progress;
using Veeky.Search;

namespace Veeky.Redis;

/// <summary>
/// The distributed edition's Redis: when <c>ConnectionStrings:redis</c> is set, the host gets its
/// <see cref="IConnectionMultiplexer"/> from Aspire's Redis client integration, progress events fan out through Redis
/// pub/sub and search answers are cached in it. Without it nothing changes and all of this stays in-process.
/// <see cref="SearchIndexComposition"/> puts the cache in front of the search index.
/// </summary>
public static class RedisServiceCollectionExtensions
{
    public const string ConnectionStringName = "redis";

    public static IHostApplicationBuilder AddVeekyRedis(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        // Registered once, however often it is called.
        if (string.IsNullOrWhiteSpace(connectionString) || builder.Services.Any(d => d.ServiceType == typeof(RedisSearchCache)))
        {
            return builder;
        }
        ValidateConnectionString(connectionString);
        var services = builder.Services;
        services.AddOptions<RedisOptions>()
            .Bind(builder.Configuration.GetSection(RedisOptions.Section))
            .Validate(o => o.SearchCacheDuration > TimeSpan.Zero, "Veeky:Redis:SearchCacheDuration must be positive.")
            .ValidateOnStart();
        builder.AddRedisClient(ConnectionStringName,
            // Veeky's own "redis" check below says what an outage means for Veeky, under the name /health always had.
            settings => settings.DisableHealthChecks = true,
            options => RedisConnectionDefaults.Apply(options));
        services.AddSingleton<RedisConnectionLog>();
        services.AddHostedService(sp => sp.GetRequiredService<RedisConnectionLog>());
        services.Replace(ServiceDescriptor.Singleton<IProgressBroadcaster, RedisProgressBroadcaster>());
        // SearchIndexComposition puts it in front of the search index.
        services.AddSingleton<RedisSearchCache>();
        // "ready" as Veeky.ServiceDefaults tags checks that /health reports.
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    /// <summary>Parsed now, so a malformed connection string stops start-up with one sentence instead of failing on
    /// the first search.</summary>
    private static void ValidateConnectionString(string connectionString)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not a Redis connection string (host:port[,password=…][,ssl=true]): {ex.Message}", ex);
        }
        if (options.EndPoints.Count == 0)
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} names no Redis host:port (expected host:port[,password=…][,ssl=true]).");
        }
    }
}
