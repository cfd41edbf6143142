using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Progress;
using Veeky.Videos;

namespace Veeky.Indexer.Pipeline;

/// <summary>
/// Runs a job's stage graph: every stage whose dependencies are done starts at once (the audio path runs beside the
/// video path), stages checkpointed by an earlier attempt are skipped, and each finished stage is checkpointed after it
/// has saved its result, so a retry resumes where the last attempt stopped.
/// </summary>
public sealed class PipelineRunner
{
    /// <summary>How often progress reaches the database and listeners: often enough to look live, rare enough to cost nothing.</summary>
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);

    private readonly IReadOnlyList<IPipelineStage> _stages;
    private readonly IJobQueue _queue;
    private readonly StageDatabase _database;
    private readonly IMediaStore _media;
    private readonly IProgressBroadcaster _broadcaster;
    private readonly TimeProvider _clock;
    private readonly ILogger<PipelineRunner> _logger;

    public PipelineRunner(IEnumerable<IPipelineStage> stages, IJobQueue queue, StageDatabase database, IMediaStore media,
        IProgressBroadcaster broadcaster, TimeProvider clock, ILogger<PipelineRunner> logger)
    {
        _stages = stages.OrderBy(s => s.Stage).ToList();
        _queue = queue;
        _database = database;
        _media = media;
        _broadcaster = broadcaster;
        _clock = clock;
        _logger = logger;
        var known = _stages.Select(s => s.Stage).ToHashSet();
        if (known.Count != _stages.Count)
        {
            throw new InvalidOperationException("Two pipeline stages are registered for the same VideoStage.");
        }
        foreach (var stage in _stages)
        {
            foreach (var dependency in stage.DependsOn.Where(d => !known.Contains(d)))
            {
                throw new InvalidOperationException($"Stage {stage.Stage} depends on {dependency}, which is not registered.");
            }
        }
    }

    /// <summary>Runs the job's remaining stages and marks the video completed. Throws a <see cref="StageFailedException"/>
    /// whose message people may read (after the stages running beside it have stopped; the detail is its inner exception),
    /// <see cref="VideoGoneException"/> when the video was deleted, and <see cref="JobLostException"/> when the job is no
    /// longer this worker's.</summary>
    public async Task RunAsync(IndexingJob job, string workerId, CancellationToken ct)
    {
        try
        {
            await RunStagesAsync(job, workerId, ct);
        }
        catch (Exception ex) when (ex is not (StageFailedException or VideoGoneException or JobLostException or OperationCanceledException))
        {
            // Between stages (progress, checkpoints, the work folder): still no raw detail for people.
            throw StageFailedException.From(null, ex);
        }
    }

    private async Task RunStagesAsync(IndexingJob job, string workerId, CancellationToken ct)
    {
        Guid categoryId;
        await using (var db = _database.Open())
        {
            categoryId = await db.Videos.Where(v => v.Id == job.VideoId).Select(v => (Guid?)v.CategoryId).FirstOrDefaultAsync(ct)
                ?? throw new VideoGoneException(job.VideoId);
        }

        // Every log line of this job (stages, tools) carries the video id, in the console and in the dashboard.
        using var logScope = _logger.BeginScope(new Dictionary<string, object> { ["VideoId"] = job.VideoId });
        ActivityContext.TryParse(job.TraceParent, null, out var parent);
        using var jobActivity = IndexerTelemetry.Source.StartActivity("index video", ActivityKind.Consumer, parent);
        jobActivity?.SetTag(IndexerTelemetry.VideoIdTag, job.VideoId);
        jobActivity?.SetTag("veeky.attempt", job.Attempts);

        var done = job.GetCompletedStages().ToHashSet();
        var progress = new JobProgress(job, workerId, categoryId, _stages, _database, _broadcaster, _clock);
        foreach (var stage in done)
        {
            progress.Finished(stage);
        }
        if (done.Count > 0)
        {
            _logger.LogInformation("Resuming video {VideoId} after checkpointed stages {Stages}", job.VideoId, string.Join(", ", done.Order()));
        }
        var (resumedAt, resumedProgress) = progress.Snapshot();
        await progress.WriteAsync(VideoStatus.Processing, resumedAt, resumedProgress, null, ct);

        var workFolder = _media.WorkFolder(job.VideoId);
        var lease = new JobLease(job.Id, workerId);
        var started = Stopwatch.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var flushing = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var flusher = FlushLoopAsync(progress, job.VideoId, stop, flushing.Token);
        var running = new Dictionary<Task<StageResult>, IPipelineStage>();
        Exception? failure = null;
        try
        {
            while (true)
            {
                if (failure is null && !stop.IsCancellationRequested)
                {
                    foreach (var stage in _stages.Where(s => !done.Contains(s.Stage) && !running.ContainsValue(s)
                                                             && s.DependsOn.All(done.Contains)))
                    {
                        var context = new StageContext(job.VideoId, workFolder, new StageProgress(progress, stage.Stage), lease);
                        running.Add(Task.Run(() => RunStageAsync(stage, context, progress, stop.Token), stop.Token), stage);
                    }
                }
                if (running.Count == 0)
                {
                    break;
                }
                var finished = await Task.WhenAny(running.Keys);
                var finishedStage = running[finished];
                running.Remove(finished);
                try
                {
                    await finished;
                    await _queue.CheckpointAsync(job.Id, workerId, finishedStage.Stage, ct);
                    done.Add(finishedStage.Stage);
                }
                catch (Exception ex)
                {
                    // The first failure is the one worth reporting; the others are the cancellations it caused.
                    if (failure is null || failure is OperationCanceledException && ex is not OperationCanceledException)
                    {
                        failure = ex;
                    }
                    await stop.CancelAsync();
                }
            }
        }
        finally
        {
            await flushing.CancelAsync();
            await flusher;
        }

        if (flusher.Result is { } gone)
        {
            ExceptionDispatchInfo.Throw(gone);
        }
        if (failure is not null)
        {
            jobActivity?.SetStatus(ActivityStatusCode.Error, failure.Message);
            ExceptionDispatchInfo.Throw(failure);
        }
        ct.ThrowIfCancellationRequested();

        await progress.WriteAsync(VideoStatus.Completed, VideoStage.Done, 1, null, ct);
        DeleteWorkFolder(workFolder);
        _logger.LogInformation("Indexed video {VideoId} in {Elapsed} ms", job.VideoId, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<StageResult> RunStageAsync(IPipelineStage stage, StageContext context, JobProgress progress, CancellationToken ct)
    {
        using var activity = IndexerTelemetry.Source.StartActivity(IndexerTelemetry.SpanName(stage.Stage));
        activity?.SetTag(IndexerTelemetry.VideoIdTag, context.VideoId);
        activity?.SetTag(IndexerTelemetry.StageTag, stage.Stage.ToString());
        progress.Started(stage.Stage);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await stage.RunAsync(context, ct);
            var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            RecordDuration(stage, started, "ok");
            if (result.SegmentCount is { } count)
            {
                activity?.SetTag(IndexerTelemetry.SegmentCountTag, count);
            }
            if (result.SkippedReason is { } reason)
            {
                activity?.SetTag("veeky.skipped", reason);
                _logger.LogInformation("{Stage} of video {VideoId} skipped: {Reason} ({Elapsed} ms)", stage.Stage, context.VideoId, reason, elapsed);
            }
            else
            {
                _logger.LogInformation("{Stage} of video {VideoId} took {Elapsed} ms", stage.Stage, context.VideoId, elapsed);
            }
            progress.Finished(stage.Stage);
            return result;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or VideoGoneException or JobLostException))
        {
            // The log keeps the detail (a tool's stderr, paths); the video's error gets the sentence.
            var failed = StageFailedException.From(stage.Stage, ex);
            activity?.SetStatus(ActivityStatusCode.Error, failed.Message);
            RecordDuration(stage, started, "error");
            _logger.LogWarning(ex, "{Stage} of video {VideoId} failed after {Elapsed} ms: {Error}", stage.Stage, context.VideoId,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.Message);
            throw failed;
        }
    }

    private static void RecordDuration(IPipelineStage stage, long started, string outcome) =>
        IndexerTelemetry.StageDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>(IndexerTelemetry.StageTag, stage.Stage.ToString()),
            new KeyValuePair<string, object?>("veeky.outcome", outcome));

    /// <summary>Flushes progress until cancelled; returns the <see cref="VideoGoneException"/> if the video disappeared or
    /// the <see cref="JobLostException"/> if the job was taken over or cancelled (and stops the stages), so such a job
    /// ends within a moment rather than at its next checkpoint.</summary>
    private async Task<Exception?> FlushLoopAsync(JobProgress progress, Guid videoId, CancellationTokenSource stages, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(FlushInterval, ct);
                await progress.FlushAsync(ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception gone) when (gone is VideoGoneException or JobLostException)
            {
                await stages.CancelAsync();
                return gone;
            }
            catch (Exception ex)
            {
                // Progress is informative only; a failed write (a busy database) must not fail the job.
                _logger.LogWarning(ex, "Could not write progress of video {VideoId}", videoId);
            }
        }
        return null;
    }

    private void DeleteWorkFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException ex)
        {
            _logger.LogDebug(ex, "Could not delete work folder {Folder}", folder);
        }
    }

    /// <summary>Reports synchronously (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
    private sealed class StageProgress(JobProgress progress, VideoStage stage) : IProgress<double>
    {
        public void Report(double value) => progress.Report(stage, value);
    }
}
