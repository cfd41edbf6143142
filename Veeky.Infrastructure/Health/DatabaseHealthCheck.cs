using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Data;

namespace Veeky.Health;

/// <summary>The metadata database answers a query; when it does not, the description names the database, the server
/// and the cause, and while the host still waits for it at start, what it waits for. Registered by the core, so every
/// host that uses the database (API, indexer, all-in-one) reports it.</summary>
public sealed class DatabaseHealthCheck(VeekyDbContext db, DatabaseProvider provider, StorageReadiness readiness) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!readiness.IsReady)
        {
            return HealthCheckResult.Unhealthy(readiness.Problem);
        }
        try
        {
            // A real round trip (opening a pooled connection alone can succeed on a server that has gone away), on the
            // bare connection: a retrying execution strategy would keep the probe waiting instead of answering.
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(ct);
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                await command.ExecuteScalarAsync(ct);
            }
            finally
            {
                await connection.CloseAsync();
            }
            return HealthCheckResult.Healthy(DatabaseOutage.Describe(provider));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The {DatabaseOutage.Describe(provider)} does not answer ({DatabaseOutage.Reason(ex)}).");
        }
    }
}
