using System.Globalization;
using FFMpegCore;
using Microsoft.Extensions.Options;
using Veeky.Processes;

namespace Veeky.Indexer.Media;

/// <summary>Takes single frames out of a video with ffmpeg: a keyframe per segment and the video's thumbnail.</summary>
public sealed class KeyframeExtractor(ProcessRunner runner, IOptions<KeyframeOptions> options)
{
    /// <summary>One frame needs a seek and at most a GOP of decoding; a minute means something is wrong.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>How far back <see cref="ExtractLastBeforeAsync"/> looks for a picture: audio that outlasts the picture by
    /// more than this leaves its segments without a keyframe.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromSeconds(30);

    /// <summary>Writes the frame at <paramref name="seconds"/> as a JPEG; false when the video has no picture there.
    /// <c>-ss</c> before <c>-i</c> seeks to the previous key frame and decodes only from there, instead of decoding the
    /// video from its start. A seek past the last picture (audio that outlasts it) makes ffmpeg exit 0 without writing
    /// anything, so the file itself is the answer.</summary>
    public async Task<bool> ExtractAsync(string videoPath, double seconds, string jpegPath, CancellationToken ct)
    {
        PrepareTarget(jpegPath);
        await runner.RunAsync(Snapshot(videoPath, $"-ss {Seconds(seconds)}", jpegPath, "-frames:v 1"), Timeout, ct);
        return HasFrame(jpegPath);
    }

    /// <summary>Writes the last picture in the <see cref="LookBack"/> before <paramref name="seconds"/> (what a player
    /// shows when the picture has ended): each frame of the window, thinned to two a second, overwrites the file, so
    /// the last one stays. False when the window holds no picture either.</summary>
    public async Task<bool> ExtractLastBeforeAsync(string videoPath, double seconds, string jpegPath, CancellationToken ct)
    {
        PrepareTarget(jpegPath);
        var from = Math.Max(0, seconds - LookBack.TotalSeconds);
        if (seconds - from <= 0)
        {
            return false;
        }
        await runner.RunAsync(Snapshot(videoPath, $"-ss {Seconds(from)}", jpegPath, $"-t {Seconds(seconds - from)} -vf fps=2"), Timeout, ct);
        return HasFrame(jpegPath);
    }

    /// <summary>An ffmpeg snapshot through FFMpegCore: <paramref name="seek"/> goes before the input (a fast key-frame
    /// seek), <paramref name="picking"/> chooses the frames, and each one overwrites the JPEG (<c>-update 1</c>).
    /// FFMpeg.Snapshot itself probes the file first to size the picture, a second process for nothing here.</summary>
    private FFMpegArgumentProcessor Snapshot(string videoPath, string seek, string jpegPath, string picking) =>
        FFMpegArguments
            .FromFileInput(videoPath, verifyExists: false, input => input.WithCustomArgument($"-hide_banner -nostats -loglevel error {seek}"))
            .OutputToFile(jpegPath, overwrite: true, output => output
                .WithCustomArgument($"-map 0:v:0 {picking}")
                .DisableAudio().DisableSubtitles().DisableData()
                .WithCustomArgument($"-q:v {options.Value.Quality.ToString(CultureInfo.InvariantCulture)} -update 1"));

    private static string Seconds(double seconds) => seconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A frame left by an earlier attempt must not pass for this one's.</summary>
    private static void PrepareTarget(string jpegPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(jpegPath)!);
        File.Delete(jpegPath);
    }

    private static bool HasFrame(string jpegPath) => new FileInfo(jpegPath) is { Exists: true, Length: > 0 };

    /// <summary>Scales an extracted keyframe down to the thumbnail width (no second pass over the video).</summary>
    public async Task ThumbnailAsync(string keyframePath, string thumbnailPath, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(thumbnailPath)!);
        await runner.RunAsync("ffmpeg",
        [
            "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            "-i", keyframePath,
            "-vf", $"scale={options.Value.ThumbnailWidth}:-2",
            "-q:v", "4", "-update", "1", thumbnailPath,
        ], Timeout, ct);
    }

    /// <summary>Keyframes scaled in one ffmpeg process: starting ffmpeg costs more than scaling one frame. This one keeps
    /// to an argument list: one input and one mapped output per frame is plain ffmpeg, not a command FFMpegCore builds.</summary>
    private const int ThumbnailBatch = 48;

    /// <summary>Scales each keyframe down to the thumbnail width, many per ffmpeg process (one input and one output
    /// per frame). Each small JPEG is written beside its target and renamed into place, so a reader never sees half a file.</summary>
    public async Task ThumbnailsAsync(IReadOnlyList<(string Keyframe, string Thumbnail)> frames, CancellationToken ct)
    {
        var scale = $"scale={options.Value.ThumbnailWidth}:-2";
        foreach (var batch in frames.Chunk(ThumbnailBatch))
        {
            List<string> arguments = ["-hide_banner", "-nostats", "-loglevel", "error", "-y"];
            foreach (var (keyframe, _) in batch)
            {
                arguments.AddRange(["-i", keyframe]);
            }
            var partials = batch.Select(f => f.Thumbnail + $".{Guid.NewGuid():N}.partial").ToArray();
            for (var i = 0; i < batch.Length; i++)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(batch[i].Thumbnail)!);
                arguments.AddRange(["-map", $"{i}:v:0", "-vf", scale, "-q:v", "4", "-frames:v", "1",
                    "-f", "image2", "-c:v", "mjpeg", "-update", "1", partials[i]]);
            }
            try
            {
                await runner.RunAsync("ffmpeg", arguments, Timeout, ct);
                for (var i = 0; i < batch.Length; i++)
                {
                    File.Move(partials[i], batch[i].Thumbnail, overwrite: true);
                }
            }
            finally
            {
                foreach (var partial in partials)
                {
                    File.Delete(partial);
                }
            }
        }
    }
}
