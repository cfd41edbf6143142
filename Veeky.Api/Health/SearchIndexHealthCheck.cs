using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Search;

namespace Veeky.Api.Health;

/// <summary>The search index answers.</summary>
public sealed class SearchIndexHealthCheck(ISearchIndex index) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await index.PingAsync(ct)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The search index does not answer.");
}
