using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Veeky.Redis;

/// <summary>Reports whether Redis answers a PING. Unreachable is Degraded, not Unhealthy: searches still work without
/// their cache and the database still holds every video's state; only live progress across replicas pauses.</summary>
public sealed class RedisHealthCheck(RedisClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis at {client.Settings} answers.");
        }
        catch (RedisException ex)
        {
            return HealthCheckResult.Degraded($"Redis at {client.Settings}: {ex.Message}; search cache off, live progress does not cross replicas.", ex);
        }
    }
}
