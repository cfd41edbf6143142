using FFMpegCore;
using Veeky.Processes;

namespace Veeky.Media;

/// <summary><see cref="IMediaProbe"/> with ffprobe, read through FFMpegCore's <see cref="FFProbe"/>.</summary>
public sealed class FfprobeMediaProbe(ProcessRunner runner) : IMediaProbe
{
    /// <summary>ffprobe reads only headers; anything slower than this is a broken or hostile file.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>When the container names no frame rate (rare: raw streams), the PAL rate keeps seconds-to-frames sane.</summary>
    private const double FallbackFrameRate = 25;

    public async Task<MediaInfo?> ProbeAsync(string path, CancellationToken ct = default)
    {
        try
        {
            return ToMediaInfo(await runner.AnalyseAsync(path, Timeout, ct));
        }
        catch (ProcessFailedException)
        {
            return null;
        }
    }

    /// <summary>The facts Veeky keeps; null unless there is a real video stream (not cover art) with a size and a
    /// positive duration, in a container that is not a single image.</summary>
    public static MediaInfo? ToMediaInfo(IMediaAnalysis analysis)
    {
        var video = analysis.VideoStreams.FirstOrDefault(s => !IsCoverArt(s));
        if (video is null)
        {
            return null;
        }
        var duration = analysis.Format.Duration > TimeSpan.Zero ? analysis.Format.Duration : video.Duration;
        var (width, height) = (video.Width ?? 0, video.Height ?? 0);
        if (duration <= TimeSpan.Zero || width <= 0 || height <= 0)
        {
            return null;
        }
        var formatName = analysis.Format.FormatName ?? "";
        // Single images (png, jpeg) probe as a one-frame "video"; they are not videos.
        if (formatName.Contains("image2") || formatName.EndsWith("_pipe", StringComparison.Ordinal))
        {
            return null;
        }
        var frameRate = video.AverageFrameRate > 0 ? video.AverageFrameRate
            : video.RealFrameRate > 0 ? video.RealFrameRate
            : FallbackFrameRate;
        return new MediaInfo(duration.TotalSeconds, width, height, frameRate, analysis.AudioStreams.Count > 0, formatName,
            video.CodecName ?? "");
    }

    private static bool IsCoverArt(VideoStream stream) =>
        stream.Disposition?.TryGetValue("attached_pic", out var attached) == true && attached;
}
