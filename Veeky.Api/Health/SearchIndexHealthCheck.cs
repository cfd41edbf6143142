using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Search;

namespace Veeky.Api.Health;

/// <summary>The search index answers; the embedded index also says while its vectors are still loading.</summary>
public sealed class SearchIndexHealthCheck(ISearchIndex index, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!await index.PingAsync(ct))
        {
            return HealthCheckResult.Unhealthy("The search index does not answer.");
        }
        // Resolved as itself: the registered ISearchIndex may be the Redis cache around it. Degraded, not unhealthy:
        // words are searched meanwhile, and searches by meaning wait for the load rather than fail.
        if (services.GetService(typeof(SqliteSearchIndex)) is SqliteSearchIndex { LoadingStatus: { } loading } embedded)
        {
            return embedded.VectorsLoadFailed ? HealthCheckResult.Unhealthy(loading) : HealthCheckResult.Degraded(loading);
        }
        return HealthCheckResult.Healthy();
    }
}
