using Microsoft.EntityFrameworkCore;
using Veeky.Jobs;
using Veeky.Progress;
using Veeky.Videos;
using Veeky.Webhooks;

namespace Veeky.Indexer.Pipeline;

/// <summary>
/// A job's progress: each stage's own fraction weighted by its cost, and the stage shown to users (the earliest one
/// still running, since audio and video stages run side by side). Stages report as often as they like; the state is
/// written to the database and broadcast only when <see cref="FlushAsync"/> runs, so fast progress never floods either.
/// Every write is conditional on the job's lease: a stalled worker whose job was taken over (or cancelled by a reindex)
/// gets <see cref="JobLostException"/> instead of overwriting the state its successor writes.
/// </summary>
public sealed class JobProgress
{
    private readonly Lock _lock = new();
    private readonly Dictionary<VideoStage, double> _weights;
    private readonly Dictionary<VideoStage, double> _fractions = [];
    private readonly SortedSet<VideoStage> _running = [];
    private readonly Guid _videoId;
    private readonly Guid _categoryId;
    private readonly Guid _jobId;
    private readonly string _workerId;
    private readonly StageDatabase _database;
    private readonly IProgressBroadcaster _broadcaster;
    private readonly TimeProvider _clock;
    private VideoStage _lastStage = VideoStage.Queued;
    private (VideoStage Stage, double Progress)? _flushed;

    public JobProgress(IndexingJob job, string workerId, Guid categoryId, IEnumerable<IPipelineStage> stages,
        StageDatabase database, IProgressBroadcaster broadcaster, TimeProvider clock)
    {
        _videoId = job.VideoId;
        _jobId = job.Id;
        _workerId = workerId;
        _categoryId = categoryId;
        _database = database;
        _broadcaster = broadcaster;
        _clock = clock;
        _weights = stages.ToDictionary(s => s.Stage, s => s.Weight);
    }

    public void Started(VideoStage stage)
    {
        lock (_lock)
        {
            _running.Add(stage);
            _fractions[stage] = 0;
        }
    }

    public void Report(VideoStage stage, double fraction)
    {
        lock (_lock)
        {
            // Progress never moves backwards, even when a tool's estimate wobbles.
            _fractions[stage] = Math.Max(_fractions.GetValueOrDefault(stage), Math.Clamp(fraction, 0, 1));
        }
    }

    public void Finished(VideoStage stage)
    {
        lock (_lock)
        {
            _running.Remove(stage);
            _fractions[stage] = 1;
            if (stage > _lastStage) _lastStage = stage;
        }
    }

    /// <summary>The stage to show and the overall progress now.</summary>
    public (VideoStage Stage, double Progress) Snapshot()
    {
        lock (_lock)
        {
            var stage = _running.Count > 0 ? _running.Min : _lastStage;
            var total = _weights.Values.Sum();
            var progress = total <= 0 ? 0 : _weights.Sum(w => w.Value * _fractions.GetValueOrDefault(w.Key)) / total;
            // Done is reported by the runner once the job is complete; until then stay just below it.
            return (stage, Math.Round(Math.Min(progress, 0.99), 3));
        }
    }

    /// <summary>Writes stage and progress to the video row and broadcasts them, when they changed since last time.
    /// Throws <see cref="VideoGoneException"/> when the row no longer exists and <see cref="JobLostException"/> when the job
    /// is no longer this worker's.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var (stage, progress) = Snapshot();
        if (_flushed is { } last && last.Stage == stage && Math.Abs(last.Progress - progress) < 0.001)
        {
            return;
        }
        await WriteAsync(VideoStatus.Processing, stage, progress, null, ct);
        _flushed = (stage, progress);
    }

    /// <summary>Sets the video's state outright (start, completion) and broadcasts it, while the job is this worker's.</summary>
    public async Task WriteAsync(VideoStatus status, VideoStage stage, double progress, string? error, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        await using var db = _database.Open();
        // Completion and its webhook deliveries commit together: no event is lost, none is sent for a rolled-back write.
        await using var transaction = status == VideoStatus.Completed ? await db.Database.BeginTransactionAsync(ct) : null;
        // The lease check is part of the UPDATE itself: no window between a separate check and the write.
        var held = db.Jobs.HeldBy(_jobId, _workerId);
        var updated = await db.Videos.Where(v => v.Id == _videoId && held.Any()).ExecuteUpdateAsync(s => s
            .SetProperty(v => v.Status, status)
            .SetProperty(v => v.Stage, stage)
            .SetProperty(v => v.Progress, progress)
            .SetProperty(v => v.Error, error)
            .SetProperty(v => v.UpdatedAt, now), ct);
        if (updated == 0)
        {
            throw await db.Videos.AnyAsync(v => v.Id == _videoId, ct) ? new JobLostException(_jobId) : (Exception)new VideoGoneException(_videoId);
        }
        if (transaction is not null)
        {
            await WebhookOutbox.AddAsync(db, WebhookEvents.VideoCompleted, _videoId, now, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await _broadcaster.PublishAsync(new VideoProgressEvent(_videoId, _categoryId, status, stage, progress, error, now), ct);
    }
}
