using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Indexer.Media;
using Veeky.Processes;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Media;

/// <summary>Audio for the recognisers, extracted with ffmpeg through FFMpegCore, under ProcessRunner's rules.</summary>
public sealed class AudioExtractorTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ProcessRunner _runner = new(NullLogger<ProcessRunner>.Instance);
    private readonly TempFolder _folder = new("veeky-audio");

    public void Dispose()
    {
        _runner.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_audio_becomes_16_kHz_mono_16_bit_wav_of_the_video_s_length_with_progress_to_the_end()
    {
        Requires.Tools(SampleVideoGenerator.Tools);
        var wav = _folder.File("audio with spaces.wav");
        var progress = new List<double>();
        var seconds = SampleVideos.Scenes.Scenes.Sum(s => s.Seconds);

        await new AudioExtractor(_runner).ExtractAsync(await SampleVideos.ScenesPathAsync(), wav, seconds, new ListProgress(progress), Ct);

        var header = (await File.ReadAllBytesAsync(wav, Ct))[..44];
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(header, 0, 4));
        Assert.Equal(1, BitConverter.ToInt16(header, 22));
        Assert.Equal(16000, BitConverter.ToInt32(header, 24));
        Assert.Equal(16, BitConverter.ToInt16(header, 34));
        Assert.Equal(seconds, WavFile.ReadDuration(wav)!.Value, 1);
        Assert.NotEmpty(progress);
        Assert.True(progress[^1] > 0.9, $"progress ended at {progress[^1]}");
    }

    [Fact]
    public async Task A_video_without_audio_fails_with_ffmpeg_s_reason()
    {
        Requires.Tools("ffmpeg");
        var silent = _folder.File("silent.mp4");
        await _runner.RunAsync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=c=blue:size=64x64:duration=1", silent], TimeSpan.FromMinutes(1), Ct);

        var error = await Assert.ThrowsAsync<ProcessFailedException>(() =>
            new AudioExtractor(_runner).ExtractAsync(silent, _folder.File("audio.wav"), 1, null, Ct));

        Assert.Equal("ffmpeg", error.Tool);
        Assert.Contains("matches no streams", error.Message);
    }

    [Fact]
    public async Task Cancelling_an_extraction_stops_ffmpeg()
    {
        Requires.Tools("ffmpeg");
        var pipe = _folder.File("stuck.mp4");
        await _runner.RunAsync("mkfifo", [pipe], TimeSpan.FromSeconds(10), Ct);
        using var cancel = new CancellationTokenSource();

        var extraction = new AudioExtractor(_runner).ExtractAsync(pipe, _folder.File("audio.wav"), 60, null, cancel.Token);
        await ToolProcesses.WaitUntilRunningAsync(pipe);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => extraction);
        await ToolProcesses.WaitUntilGoneAsync(pipe);
    }

    [Fact]
    public async Task Disposing_the_runner_as_the_host_stops_ends_an_ffmpeg_run_it_cannot_cancel_otherwise()
    {
        Requires.Tools("ffmpeg");
        var pipe = _folder.File("stuck.mp4");
        await _runner.RunAsync("mkfifo", [pipe], TimeSpan.FromSeconds(10), Ct);
        var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);

        var extraction = new AudioExtractor(runner).ExtractAsync(pipe, _folder.File("audio.wav"), 60, null, CancellationToken.None);
        await ToolProcesses.WaitUntilRunningAsync(pipe);
        runner.Dispose();

        await Assert.ThrowsAsync<ProcessFailedException>(() => extraction.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        await ToolProcesses.WaitUntilGoneAsync(pipe);
    }

    private sealed class ListProgress(List<double> values) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (values) values.Add(value);
        }
    }
}
