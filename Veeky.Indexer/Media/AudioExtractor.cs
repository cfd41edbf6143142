using FFMpegCore;
using Veeky.Processes;

namespace Veeky.Indexer.Media;

/// <summary>Writes a video's first audio stream as the 16 kHz mono 16-bit WAV every recogniser reads, with ffmpeg
/// through FFMpegCore.</summary>
public sealed class AudioExtractor(ProcessRunner runner)
{
    /// <summary>What speech recognisers are trained on: more rate or channels only cost time and memory.</summary>
    public const int SampleRate = 16000;

    /// <summary>Decoding audio runs far faster than realtime; two minutes plus the video's length means ffmpeg hangs.</summary>
    private static TimeSpan Timeout(double durationSeconds) => TimeSpan.FromSeconds(120 + durationSeconds);

    public Task ExtractAsync(string videoPath, string wavPath, double durationSeconds, IProgress<double>? progress, CancellationToken ct)
    {
        var report = FfmpegProgress.Reporter(durationSeconds, progress);
        var command = FFMpegArguments
            .FromFileInput(videoPath, verifyExists: false, input => input
                // Global options, placed first: ffmpeg's own machine-readable progress (FfmpegProgress) on stdout.
                .WithCustomArgument($"-hide_banner -nostats -loglevel error {string.Join(' ', FfmpegProgress.Arguments)}"))
            .OutputToFile(wavPath, overwrite: true, output => output
                .WithCustomArgument("-map 0:a:0")
                .DisableVideo().DisableSubtitles().DisableData()
                .WithAudioChannels(1)
                .WithAudioSamplingRate(SampleRate)
                .WithCustomArgument("-c:a pcm_s16le"))
            .NotifyOnStandardOutput(report);
        return runner.RunAsync(command, Timeout(durationSeconds), ct);
    }
}
