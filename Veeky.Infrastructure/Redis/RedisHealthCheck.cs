using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Veeky.Redis;

/// <summary>Reports whether Redis answers a PING, as <c>redis</c> in <c>/health</c>. Unreachable is Unhealthy, so the
/// operator sees which dependency is gone; Veeky keeps serving meanwhile (searches uncached, progress within each
/// process) and the multiplexer reconnects by itself.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis, RedisConnectionLog connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoints = string.Join(", ", redis.GetEndPoints().Select(EndPointCollection.ToString));
        string reason;
        if (!redis.IsConnected)
        {
            // Not a PING: while the multiplexer is between connection attempts it would wait out the command timeout.
            reason = connection.OutageReason ?? "not connected";
        }
        else
        {
            try
            {
                var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy($"Redis at {endpoints} answers ({latency.TotalMilliseconds:0.#} ms).");
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                reason = RedisFailureReason.Describe(ex);
            }
        }
        return HealthCheckResult.Unhealthy(
            $"Redis at {endpoints} is unreachable ({reason}); searches go uncached and progress reaches only the process that published it until it is back.");
    }
}
