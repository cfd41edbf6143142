using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Identity;
using Veeky.Indexer.Speech;
using Veeky.Indexer.Pipeline;
using Veeky.Jobs;
using Veeky.Progress;
using Veeky.Search;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;
using Veeky.Tests.Pipeline;
using Veeky.Tests.Redis;
using Veeky.Videos;

namespace Veeky.Tests.Jobs;

/// <summary>
/// A worker that stalls past its lease and wakes up after another worker took the job over must not write the video's
/// progress any more: its successor owns the row's stage and progress. Driven by hand with a manual clock.
/// </summary>
public sealed class StaleWorkerTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly TempFolder _folder = new("veeky-stale");
    private IndexerHost _host = null!;
    private Guid _videoId;
    private IndexingJob _staleJob = null!;
    private IndexingJob _takenOver = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await IndexerHost.CreateAsync(_clock);
        var source = _folder.File("source.mp4");
        await File.WriteAllBytesAsync(source, [0, 0, 0, 24], Ct);
        _videoId = await _host.AddVideoAsync(source);
        _staleJob = await _host.Queue.TryClaimAsync("stalled-worker", Lease, Ct) ?? throw new InvalidOperationException("No job.");
        _clock.Advance(Lease + TimeSpan.FromSeconds(1));
        _takenOver = await _host.Queue.TryClaimAsync("successor", Lease, Ct) ?? throw new InvalidOperationException("No takeover.");
    }

    [Fact]
    public async Task The_successor_writes_progress_and_the_stalled_worker_cannot_overwrite_it()
    {
        Assert.Equal(_staleJob.Id, _takenOver.Id);
        var successor = Progress(_takenOver, "successor");
        await successor.WriteAsync(VideoStatus.Processing, VideoStage.Transcribing, 0.6, null, Ct);
        var stalled = Progress(_staleJob, "stalled-worker");
        stalled.Started(VideoStage.DetectingScenes);
        stalled.Report(VideoStage.DetectingScenes, 0.5);

        await Assert.ThrowsAsync<JobLostException>(() => stalled.FlushAsync(Ct));
        await Assert.ThrowsAsync<JobLostException>(() => stalled.WriteAsync(VideoStatus.Completed, VideoStage.Done, 1, null, Ct));
        await Assert.ThrowsAsync<JobLostException>(() => _host.Queue.CheckpointAsync(_staleJob.Id, "stalled-worker", VideoStage.DetectingScenes, Ct));

        var video = await _host.LoadVideoAsync(_videoId);
        Assert.Equal((VideoStatus.Processing, VideoStage.Transcribing, 0.6), (video!.Status, video.Stage, video.Progress));
        Assert.Empty((await _host.LoadJobAsync(_videoId))!.GetCompletedStages());
    }

    [Fact]
    public async Task A_stalled_worker_running_the_pipeline_stops_with_job_lost_before_any_stage_and_writes_nothing()
    {
        var broadcaster = _host.Services.GetRequiredService<IProgressBroadcaster>();
        var events = new List<VideoProgressEvent>();
        using var listening = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var subscription = Task.Run(async () =>
        {
            await foreach (var e in broadcaster.SubscribeAsync(listening.Token))
            {
                lock (events) events.Add(e);
            }
        }, Ct);
        // Subscribing is asynchronous: publish a probe until it arrives, so the listener is known to be live before the
        // stalled worker runs, and anything it published would be seen.
        var probe = Marker("probe");
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            await broadcaster.PublishAsync(probe, Ct);
            return Seen(probe.Id);
        }, TimeSpan.FromSeconds(15)), "The progress subscription never became live.");
        var before = await _host.LoadVideoAsync(_videoId);

        await Assert.ThrowsAsync<JobLostException>(() =>
            _host.Services.GetRequiredService<PipelineRunner>().RunAsync(_staleJob, "stalled-worker", Ct));

        Assert.Empty(_host.Recorder.History);
        var after = await _host.LoadVideoAsync(_videoId);
        Assert.Equal((before!.Status, before.Stage, before.Progress, before.UpdatedAt), (after!.Status, after.Stage, after.Progress, after.UpdatedAt));
        // Events arrive in the order they were published: once this one is in, any the stalled worker sent is in too.
        var end = Marker("end");
        await broadcaster.PublishAsync(end, Ct);
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(Seen(end.Id)), TimeSpan.FromSeconds(15)), "The closing marker never arrived.");
        await listening.CancelAsync();
        try { await subscription; } catch (OperationCanceledException) { }
        lock (events) Assert.DoesNotContain(events, e => e.Id == _videoId);

        bool Seen(Guid id)
        {
            lock (events) return events.Any(e => e.Id == id);
        }
    }

    private static VideoProgressEvent Marker(string note) =>
        new(Guid.NewGuid(), Guid.Empty, VideoStatus.Processing, VideoStage.Queued, 0, note, DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_job_cancelled_by_a_reindex_no_longer_takes_progress_from_its_worker()
    {
        await using (var db = _host.OpenDb())
        {
            await _host.Queue.EnqueueAsync(db, _videoId, Ct);
            await db.SaveChangesAsync(Ct);
        }

        await Assert.ThrowsAsync<JobLostException>(() =>
            Progress(_takenOver, "successor").WriteAsync(VideoStatus.Processing, VideoStage.Indexing, 0.9, null, Ct));
    }

    [Fact]
    public async Task A_stalled_worker_writes_no_stage_data_at_its_next_save_while_its_successor_does()
    {
        await using (var db = _host.OpenDb())
        {
            var video = await db.Videos.SingleAsync(v => v.Id == _videoId, Ct);
            video.TranscriptJson = TranscriptJson.Serialize([new TranscriptWord("heron", 0.5, 1.0)]);
            db.Segments.Add(new Segment { VideoId = _videoId, Index = 0, Start = 0, End = 4, Transcript = "kingfisher", OcrText = "osprey" });
            await db.SaveChangesAsync(Ct);
        }
        var search = _host.Services.GetRequiredService<ISearchIndex>();
        var stalled = Context(new JobLease(_staleJob.Id, "stalled-worker"));

        // Each would change what it saves: an empty transcript (no audio), no OCR text (no keyframe), the transcript
        // "heron" aligned to the segment, and the search documents.
        foreach (var stage in new[] { VideoStage.Transcribing, VideoStage.ReadingText, VideoStage.Enriching, VideoStage.Indexing })
        {
            await Assert.ThrowsAsync<JobLostException>(() => Stage(stage).RunAsync(stalled, Ct));
        }

        var after = await _host.LoadVideoAsync(_videoId);
        Assert.Equal(TranscriptJson.Serialize([new TranscriptWord("heron", 0.5, 1.0)]), after!.TranscriptJson);
        Assert.Equal(("kingfisher", "osprey"), (after.Segments[0].Transcript, after.Segments[0].OcrText));
        Assert.Empty((await search.SearchAsync(new SearchRequest("kingfisher", AccessScope.System, SearchMode.Text), Ct)).Hits);

        // The same saves under the successor's lease go through: the check refuses the stale worker, not everyone.
        var successor = Context(new JobLease(_takenOver.Id, "successor"));
        await Stage(VideoStage.Enriching).RunAsync(successor, Ct);
        await Stage(VideoStage.Indexing).RunAsync(successor, Ct);
        Assert.Equal("heron", (await _host.LoadVideoAsync(_videoId))!.Segments[0].Transcript);
        Assert.Contains((await search.SearchAsync(new SearchRequest("heron", AccessScope.System, SearchMode.Text), Ct)).Hits,
            h => h.VideoId == _videoId);
    }

    private StageContext Context(JobLease lease) => new(_videoId, _host.Media.WorkFolder(_videoId), new Progress<double>(), lease);

    private IPipelineStage Stage(VideoStage stage) => _host.Services.GetServices<IPipelineStage>().Single(s => s.Stage == stage);

    private JobProgress Progress(IndexingJob job, string workerId) =>
        new(job, workerId, Guid.NewGuid(), _host.Services.GetServices<IPipelineStage>(),
            _host.Services.GetRequiredService<StageDatabase>(), _host.Services.GetRequiredService<IProgressBroadcaster>(), _clock);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _folder.Dispose();
    }
}
