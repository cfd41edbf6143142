using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Media;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Media;

/// <summary>Probing through FFMpegCore's FFProbe: the facts Veeky keeps, and null for what is not a video.</summary>
public sealed class FfprobeMediaProbeTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ProcessRunner _runner = new(NullLogger<ProcessRunner>.Instance);
    private readonly TempFolder _folder = new("veeky-probe");

    public void Dispose()
    {
        _runner.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_video_probes_as_its_duration_size_frame_rate_audio_and_container()
    {
        Requires.Tools(SampleVideoGenerator.Tools);

        var info = await new FfprobeMediaProbe(_runner).ProbeAsync(await SampleVideos.ScenesPathAsync(), Ct);

        Assert.NotNull(info);
        Assert.Equal(SampleVideos.Scenes.Scenes.Sum(s => s.Seconds), info.DurationSeconds, 1);
        Assert.Equal((640, 360), (info.Width, info.Height));
        Assert.Equal(25, info.FrameRate, 3);
        Assert.True(info.HasAudio);
        Assert.Equal("h264", info.VideoCodec);
        Assert.Equal("video/mp4", info.ContentType);
    }

    [Fact]
    public async Task A_text_file_an_image_and_a_missing_file_are_not_videos()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        var text = _folder.File("notes.mp4");
        await File.WriteAllTextAsync(text, "not a video", Ct);
        var image = _folder.File("still.png");
        await _runner.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=c=red:size=64x64", "-frames:v", "1", image], TimeSpan.FromMinutes(1), Ct);
        var probe = new FfprobeMediaProbe(_runner);

        Assert.Null(await probe.ProbeAsync(text, Ct));
        Assert.Null(await probe.ProbeAsync(image, Ct));
        Assert.Null(await probe.ProbeAsync(_folder.File("gone.mp4"), Ct));
    }

    [Fact]
    public async Task A_cancelled_probe_ends_as_cancelled_and_leaves_no_ffprobe_running()
    {
        Requires.Tools("ffprobe");
        // ffprobe blocks opening a pipe no one writes to: only cancellation can end it.
        var pipe = _folder.File("stuck.mp4");
        await _runner.RunAsync("mkfifo", [pipe], TimeSpan.FromSeconds(10), Ct);
        using var cancel = new CancellationTokenSource();

        var probe = new FfprobeMediaProbe(_runner).ProbeAsync(pipe, cancel.Token);
        await ToolProcesses.WaitUntilRunningAsync(pipe);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe);
        await ToolProcesses.WaitUntilGoneAsync(pipe);
    }
}
