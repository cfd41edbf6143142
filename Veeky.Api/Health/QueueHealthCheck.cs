using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Data;
using Veeky.Jobs;

namespace Veeky.Api.Health;

/// <summary>The job queue table is readable; reports how many jobs wait and run.</summary>
public sealed class QueueHealthCheck(VeekyDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
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
