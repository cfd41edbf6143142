using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Veeky.Data;
using Veeky.Jobs;

namespace Veeky.Indexer.Worker;

/// <summary>
/// At start, takes back the jobs an earlier process of this host was running when it died (a crash, a kill, a power
/// cut), so a restarted indexer resumes them at once instead of waiting out their two-minute leases. Only leases of
/// this host's dead processes are ended (<see cref="WorkerIdentity.IsDeadPredecessor"/>): a live replica keeps its jobs.
/// </summary>
public sealed class CrashedWorkerJobReclaimer(IJobQueue queue, StorageReadiness readiness, ILogger<CrashedWorkerJobReclaimer> logger)
    : StorageDependentService(readiness, logger)
{
    /// <summary>Once the database answers: at start it may still be coming up.</summary>
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reclaimed = await queue.ReclaimAsync(WorkerIdentity.Current.IsDeadPredecessor, cancellationToken);
            if (reclaimed > 0)
            {
                logger.LogInformation("Took back {Count} indexing job(s) left running by an earlier process of this host", reclaimed);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Only a shortcut: without it those leases simply run out and the jobs are claimed then.
            logger.LogWarning(ex, "Could not take back the indexing jobs of an earlier process of this host; they resume when their leases run out");
        }
    }
}
