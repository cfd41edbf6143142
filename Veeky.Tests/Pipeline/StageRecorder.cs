using System.Collections.Concurrent;
using Veeky.Indexer.Pipeline;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>Counts how often each stage ran and lets a test act just before a stage runs (fail it, cancel the
/// worker, delete the video).</summary>
public sealed class StageRecorder
{
    private readonly ConcurrentDictionary<VideoStage, int> _runs = new();

    /// <summary>Called before the stage's own work; throwing from it fails the stage.</summary>
    public ConcurrentDictionary<VideoStage, Func<StageContext, CancellationToken, Task>> Before { get; } = new();

    public int Runs(VideoStage stage) => _runs.GetValueOrDefault(stage);

    /// <summary>Every stage run that ended (returned or threw), with its start and end as
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamps, to check which runs overlapped.</summary>
    public ConcurrentQueue<StageRun> History { get; } = new();

    /// <summary>Wraps a real stage so its runs are counted and its hook applied.</summary>
    public IPipelineStage Wrap(IPipelineStage stage) => new RecordedStage(stage, this);

    private sealed class RecordedStage(IPipelineStage inner, StageRecorder recorder) : IPipelineStage
    {
        public VideoStage Stage => inner.Stage;
        public IReadOnlyList<VideoStage> DependsOn => inner.DependsOn;
        public double Weight => inner.Weight;

        public async Task<StageResult> RunAsync(StageContext context, CancellationToken ct)
        {
            recorder._runs.AddOrUpdate(Stage, 1, (_, n) => n + 1);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var succeeded = false;
            try
            {
                if (recorder.Before.TryGetValue(Stage, out var before))
                {
                    await before(context, ct);
                }
                var result = await inner.RunAsync(context, ct);
                succeeded = true;
                return result;
            }
            finally
            {
                recorder.History.Enqueue(new StageRun(context.VideoId, Stage, started, System.Diagnostics.Stopwatch.GetTimestamp(), succeeded));
            }
        }
    }
}

/// <summary>One run of a stage for a video, timed with <see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
public sealed record StageRun(Guid VideoId, VideoStage Stage, long Started, long Ended, bool Succeeded);
