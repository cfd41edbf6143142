using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Veeky.Progress;
using Veeky.Search;

namespace Veeky.Redis;

/// <summary>
/// The distributed edition's Redis: when <c>ConnectionStrings:redis</c> is set, progress events fan out through Redis
/// pub/sub and search answers are cached in it. Without it nothing changes and all of this stays in-process.
/// Call after the search index is registered (<c>AddVeekyCore</c> and any index that replaces SQLite), since the
/// cache wraps whichever index is registered then.
/// </summary>
public static class RedisServiceCollectionExtensions
{
    public const string ConnectionStringName = "redis";

    public static IHostApplicationBuilder AddVeekyRedis(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        // A second call would wrap the cache around itself.
        if (string.IsNullOrWhiteSpace(connectionString) || builder.Services.Any(d => d.ServiceType == typeof(RedisConnectionSettings)))
        {
            return builder;
        }
        // Parsed now, so a malformed connection string stops start-up with its reason.
        var settings = RedisConnectionSettings.Parse(connectionString);
        var services = builder.Services;
        services.AddOptions<RedisOptions>()
            .Bind(builder.Configuration.GetSection(RedisOptions.Section))
            .Validate(o => o.SearchCacheDuration > TimeSpan.Zero, "Veeky:Redis:SearchCacheDuration must be positive.")
            .ValidateOnStart();
        services.AddSingleton(settings);
        services.AddSingleton<RedisClient>();
        services.AddSingleton<RedisSubscriber>();
        services.Replace(ServiceDescriptor.Singleton<IProgressBroadcaster, RedisProgressBroadcaster>());
        services.AddSingleton<RedisSearchCache>();
        DecorateSearchIndex(services);
        // "ready" as Veeky.ServiceDefaults tags checks that /health reports.
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    private static void DecorateSearchIndex(IServiceCollection services)
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(ISearchIndex))
            ?? throw new InvalidOperationException("AddVeekyRedis needs a search index registered first (call it after AddVeekyCore).");
        services.Remove(inner);
        services.Add(ServiceDescriptor.Describe(typeof(ISearchIndex),
            sp => new CachingSearchIndex(CreateInner(sp, inner), sp.GetRequiredService<RedisSearchCache>()),
            inner.Lifetime));
    }

    private static ISearchIndex CreateInner(IServiceProvider sp, ServiceDescriptor inner) =>
        (ISearchIndex)(inner.ImplementationInstance
            ?? inner.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.GetServiceOrCreateInstance(sp, inner.ImplementationType!));
}
