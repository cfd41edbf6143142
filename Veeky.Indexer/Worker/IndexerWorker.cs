using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.Data;
using Veeky.Indexer.Pipeline;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Progress;
using Veeky.Search;
using Veeky.Videos;
using Veeky.Webhooks;

namespace Veeky.Indexer.Worker;

/// <summary>
/// Takes indexing jobs from the queue and runs them, <see cref="IndexerOptions.Concurrency"/> at a time. Holds each
/// job through a renewed lease, stops a job whose lease is lost (reindexed, deleted, taken over), retries failures
/// through the queue's backoff and marks the video Failed after the last attempt, and gives jobs back on shutdown.
/// Starts once the storage is ready; a database that goes away pauses it with one log line and a backoff, and it
/// resumes when the database answers again.
/// </summary>
public sealed class IndexerWorker(
    IJobQueue queue,
    PipelineRunner runner,
    JobSignal signal,
    StageDatabase database,
    IMediaStore media,
    ISearchIndex searchIndex,
    IProgressBroadcaster broadcaster,
    StorageReadiness readiness,
    DatabaseProvider provider,
    TimeProvider clock,
    IOptions<IndexerOptions> options,
    ILogger<IndexerWorker> logger) : BackgroundService
{
    private readonly string _workerPrefix = WorkerIdentity.Current.Prefix;

    /// <summary>Failed claims in a row because the database did not answer, across all slots; 0 while it answers.</summary>
    private int _outageAttempts;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A database that is down at start is waited for by the storage initializer; there is no queue before it.
        if (!await readiness.WaitAsync(stoppingToken))
        {
            return;
        }
        await Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency)
            .Select(slot => Task.Run(() => LoopAsync($"{_workerPrefix}/{slot}", stoppingToken), stoppingToken)));
    }

    private async Task LoopAsync(string workerId, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            IndexingJob? job = null;
            try
            {
                job = await queue.TryClaimAsync(workerId, settings.Lease, stoppingToken);
                if (Interlocked.Exchange(ref _outageAttempts, 0) > 0)
                {
                    logger.LogInformation("The {Database} answers again; indexing resumes.", DatabaseOutage.Describe(provider));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseOutage.IsUnreachable(ex))
            {
                if (!await WaitOutOutageAsync(ex, stoppingToken))
                {
                    return;
                }
                continue;
            }
            catch (Exception ex)
            {
                // The database may be starting or busy; keep polling rather than ending the worker.
                logger.LogWarning(ex, "Could not claim an indexing job");
            }
            try
            {
                if (job is null)
                {
                    await signal.WaitAsync(settings.PollInterval, stoppingToken);
                    continue;
                }
                await RunJobAsync(job, workerId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseOutage.IsUnreachable(ex))
            {
                // The database went away under a running job: its lease runs out and it is claimed again once it is back.
                if (!await WaitOutOutageAsync(ex, stoppingToken))
                {
                    return;
                }
            }
            catch (Exception ex)
            {
                // An unhandled error would stop the whole host (BackgroundService's default); the job's lease runs
                // out and it is claimed again, so logging and going on loses nothing.
                logger.LogError(ex, "Indexing job {JobId} ended with an unexpected error", job?.Id);
            }
        }
    }

    /// <summary>Backs off while the database does not answer. The first slot to notice logs the one line; the others
    /// wait quietly. False when the host stops meanwhile.</summary>
    private async Task<bool> WaitOutOutageAsync(Exception error, CancellationToken stoppingToken)
    {
        var attempt = Interlocked.Increment(ref _outageAttempts);
        if (attempt == 1)
        {
            logger.LogWarning("The {Database} does not answer ({Reason}); indexing pauses and resumes when it answers.",
                DatabaseOutage.Describe(provider), DatabaseOutage.Reason(error));
        }
        try
        {
            await Task.Delay(DatabaseOutage.Delay(attempt), stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Runs one claimed job to its end: completed, failed (retried or for good), stopped because it is no longer
    /// this worker's, or released on shutdown. Never throws except on shutdown.</summary>
    internal async Task RunJobAsync(IndexingJob job, string workerId, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var jobStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var renewalStop = new CancellationTokenSource();
        var lost = false;
        var renewal = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(settings.LeaseRenewal);
            try
            {
                while (await timer.WaitForNextTickAsync(renewalStop.Token))
                {
                    bool renewed;
                    try
                    {
                        renewed = await queue.RenewLeaseAsync(job.Id, workerId, settings.Lease, renewalStop.Token);
                    }
                    catch (Exception ex) when (DatabaseOutage.IsUnreachable(ex))
                    {
                        // The server is down, not Veeky's code at fault: a line without a stack trace per renewal.
                        logger.LogWarning("Could not renew the lease of job {JobId}: the {Database} does not answer ({Reason})",
                            job.Id, DatabaseOutage.Describe(provider), DatabaseOutage.Reason(ex));
                        continue;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // A busy database is no reason to give up; the lease has several renewals of slack.
                        logger.LogWarning(ex, "Could not renew the lease of job {JobId}", job.Id);
                        continue;
                    }
                    if (!renewed)
                    {
                        lost = true;
                        await jobStop.CancelAsync();
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The job ended.
            }
        });

        logger.LogInformation("Indexing video {VideoId} (job {JobId}, attempt {Attempt})", job.VideoId, job.Id, job.Attempts);
        try
        {
            if (job.Attempts > SqlJobQueue.MaxAttempts)
            {
                // Claimed again after its lease ran out too often: its worker keeps dying on this video.
                throw new InvalidOperationException($"Indexing stopped {job.Attempts - 1} times without finishing (the worker was killed each time).");
            }
            await runner.RunAsync(job, workerId, jobStop.Token);
            await queue.CompleteAsync(job.Id, workerId, CancellationToken.None);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested && !lost)
        {
            // Whatever a stage threw while being stopped, the job is not at fault: give it back without an attempt.
            await queue.ReleaseAsync(job.Id, workerId, CancellationToken.None);
            logger.LogInformation("Released job {JobId} of video {VideoId} on shutdown", job.Id, job.VideoId);
            throw new OperationCanceledException(stoppingToken);
        }
        catch (Exception ex) when (lost || ex is JobLostException or VideoGoneException)
        {
            await StopQuietlyAsync(job);
        }
        catch (Exception ex)
        {
            // A stage tripping over its deleted video (a vanished row, a removed folder) is not a failure of the job.
            if (await VideoExistsAsync(job.VideoId))
            {
                await FailAsync(job, workerId, ex);
            }
            else
            {
                await StopQuietlyAsync(job);
            }
        }
        finally
        {
            await renewalStop.CancelAsync();
            await renewal;
        }
    }

    /// <summary>The job is not ours any more. If the video was deleted meanwhile, a stage may have written files or
    /// search documents after the delete; remove them so nothing is left behind.</summary>
    private async Task StopQuietlyAsync(IndexingJob job)
    {
        if (await VideoExistsAsync(job.VideoId))
        {
            logger.LogInformation("Stopped job {JobId} of video {VideoId}: it was cancelled or taken over", job.Id, job.VideoId);
            return;
        }
        await media.DeleteVideoAsync(job.VideoId);
        await searchIndex.DeleteVideoAsync(job.VideoId);
        logger.LogInformation("Stopped job {JobId}: video {VideoId} was deleted", job.Id, job.VideoId);
    }

    private async Task<bool> VideoExistsAsync(Guid videoId)
    {
        await using var db = database.Open();
        return await db.Videos.AnyAsync(v => v.Id == videoId);
    }

    private async Task FailAsync(IndexingJob job, string workerId, Exception error)
    {
        logger.LogWarning(error, "Indexing video {VideoId} failed (attempt {Attempt})", job.VideoId, job.Attempts);
        try
        {
            var retried = await queue.FailAsync(job.Id, workerId, error.Message, CancellationToken.None);
            await using var db = database.Open();
            var status = await db.Jobs.Where(j => j.Id == job.Id).Select(j => (JobStatus?)j.Status).FirstOrDefaultAsync();
            if (retried || status != JobStatus.Failed)
            {
                return;
            }
            var video = await db.Videos.FirstOrDefaultAsync(v => v.Id == job.VideoId);
            if (video is null)
            {
                await StopQuietlyAsync(job);
                return;
            }
            var now = clock.GetUtcNow();
            video.Status = VideoStatus.Failed;
            video.Error = error.Message;
            video.UpdatedAt = now;
            // Saved with the status, in one transaction.
            await WebhookOutbox.AddAsync(db, WebhookEvents.VideoFailed, video, now);
            await db.SaveChangesAsync();
            await broadcaster.PublishAsync(new VideoProgressEvent(video.Id, video.CategoryId, video.Status, video.Stage,
                video.Progress, video.Error, now));
            logger.LogError("Indexing video {VideoId} failed for good after {Attempts} attempts: {Error}", job.VideoId, job.Attempts, error.Message);
        }
        catch (Exception ex)
        {
            // The lease will run out and the job be claimed again; the video does not stay Processing forever.
            logger.LogError(ex, "Could not record the failure of job {JobId}", job.Id);
        }
    }
}
