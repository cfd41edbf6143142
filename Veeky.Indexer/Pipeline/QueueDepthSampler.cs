using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Veeky.Jobs;

namespace Veeky.Indexer.Pipeline;

/// <summary>Counts the queued jobs every few seconds for the <c>veeky.indexer.queue.depth</c> gauge: a gauge's callback
/// cannot query a database, and a count a few seconds old is what a dashboard needs.</summary>
public sealed class QueueDepthSampler(StageDatabase database, ILogger<QueueDepthSampler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var db = database.Open();
                IndexerTelemetry.ObserveQueueDepth(await db.Jobs.CountAsync(j => j.Status == JobStatus.Queued, stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The schema may not exist yet or the database may be restarting: the next tick tries again.
                logger.LogDebug(ex, "Could not count the queued jobs");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
