using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veeky.Indexer.Pipeline;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>
/// What a failed video's <c>error</c> says to the people who can see it: a sentence naming the step and the kind of
/// trouble. A tool's stderr and the server's paths go to the log only.
/// </summary>
public sealed class StageErrorMessageTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private const string ServerPath = "/srv/veeky/data/media/videos/0123/original.mp4";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tool_failure_shows_a_sentence_on_the_video_and_keeps_its_stderr_and_paths_in_the_log()
    {
        Requires.Tools(SampleVideoGenerator.Tools);
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var log = new ApiLogSink();
        await using var host = await IndexerHost.CreateAsync(clock, services: s => s.AddSingleton<ILoggerProvider>(log));
        var videoId = await host.AddVideoAsync(await SampleVideos.ScenesPathAsync());
        host.Recorder.Before[VideoStage.DetectingScenes] = (_, _) =>
            throw new ProcessFailedException("/usr/bin/ffmpeg", 69, $"[mov,mp4] {ServerPath}: Invalid data found when processing input");

        for (var attempt = 1; attempt <= SqlJobQueue.MaxAttempts; attempt++)
        {
            var job = await host.Queue.TryClaimAsync("worker", Lease, Ct);
            Assert.NotNull(job);
            await host.Worker.RunJobAsync(job, "worker", Ct);
            clock.Advance(SqlJobQueue.Backoff(attempt) + TimeSpan.FromSeconds(1));
        }

        var failed = await host.LoadVideoAsync(videoId);
        Assert.Equal(VideoStatus.Failed, failed!.Status);
        Assert.Equal("Detecting scenes failed: ffmpeg could not process the video (exit code 69). The server log has the details.", failed.Error);
        Assert.DoesNotContain("/srv", (await host.LoadJobAsync(videoId))!.Error, StringComparison.Ordinal);
        Assert.Contains(log.Messages, m => m.Contains(ServerPath, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tool missing")]
    [InlineData("disk full")]
    [InlineData("file trouble")]
    [InlineData("unexpected")]
    public void No_kind_of_failure_puts_a_server_path_into_the_sentence(string kind)
    {
        Exception error = kind switch
        {
            "tool missing" => new ToolNotFoundException("/opt/tools/bin/tesseract", new System.ComponentModel.Win32Exception()),
            "disk full" => new MediaStoreWriteException("videos/0123/work/audio.wav", new IOException($"No space left on device : '{ServerPath}'", 28)),
            "file trouble" => new FileNotFoundException($"Could not find file '{ServerPath}'."),
            _ => new NullReferenceException($"Object reference not set ({ServerPath})"),
        };

        var sentence = StageFailedException.SentenceFor(VideoStage.ReadingText, error);

        Assert.StartsWith("Reading the text on screen failed", sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("/srv", sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("/opt", sentence, StringComparison.Ordinal);
    }
}
