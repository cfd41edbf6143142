using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Data;

namespace Veeky.Api.Health;

/// <summary>The metadata database answers.</summary>
public sealed class DatabaseHealthCheck(VeekyDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The metadata database does not answer.");
}
