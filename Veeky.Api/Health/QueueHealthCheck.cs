using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Data;
using Veeky.Jobs;

namespace Veeky.Api.Health;

/// <summary>The job queue table is readable; reports how many jobs wait and run. Without a database it says so in
/// a sentence (the <c>database</c> check says why) instead of a stack trace per probe.</summary>
public sealed class QueueHealthCheck(VeekyDbContext db, StorageReadiness readiness) : IHealthCheck
{
    private const string NeedsDatabase = "The job queue is in the database, which does not answer.";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!readiness.IsReady)
        {
            return HealthCheckResult.Unhealthy(NeedsDatabase);
        }
        try
        {
            return await CountAsync(ct);
        }
        catch (Exception ex) when (DatabaseOutage.IsUnreachable(ex))
        {
            return HealthCheckResult.Unhealthy(NeedsDatabase);
        }
    }

    private async Task<HealthCheckResult> CountAsync(CancellationToken ct)
    {
        var counts = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued || j.Status == JobStatus.Running)
            .GroupBy(j => j.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return HealthCheckResult.Healthy(data: new Dictionary<string, object>
        {
            ["queued"] = counts.FirstOrDefault(c => c.Status == JobStatus.Queued)?.Count ?? 0,
            ["running"] = counts.FirstOrDefault(c => c.Status == JobStatus.Running)?.Count ?? 0,
        });
    }
}
