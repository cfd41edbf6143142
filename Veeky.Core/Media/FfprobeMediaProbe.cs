using System.Globalization;
using System.Text.Json;
using Veeky.Processes;

namespace Veeky.Media;

/// <summary><see cref="IMediaProbe"/> with <c>ffprobe -print_format json</c>.</summary>
public sealed class FfprobeMediaProbe(ProcessRunner runner) : IMediaProbe
{
    /// <summary>ffprobe reads only headers; anything slower than this is a broken or hostile file.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public async Task<MediaInfo?> ProbeAsync(string path, CancellationToken ct = default)
    {
        ProcessResult result;
        try
        {
            result = await runner.RunAsync("ffprobe",
                ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", path], Timeout, ct);
        }
        catch (ProcessFailedException)
        {
            return null;
        }
        return Parse(result.Stdout);
    }

    /// <summary>Parses ffprobe's JSON; null unless there is a real video stream and a positive duration.</summary>
    public static MediaInfo? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("streams", out var streams) || !root.TryGetProperty("format", out var format))
        {
            return null;
        }
        JsonElement? video = null;
        var hasAudio = false;
        foreach (var stream in streams.EnumerateArray())
        {
            var type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
            var isCoverArt = stream.TryGetProperty("disposition", out var d)
                && d.TryGetProperty("attached_pic", out var pic) && pic.GetInt32() == 1;
            if (type == "video" && !isCoverArt && video is null) video = stream;
            if (type == "audio") hasAudio = true;
        }
        if (video is not { } v)
        {
            return null;
        }
        var duration = Number(format, "duration") ?? Number(v, "duration");
        var width = v.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
        var height = v.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
        if (duration is not > 0 || width <= 0 || height <= 0)
        {
            return null;
        }
        var frameRate = Rate(v, "avg_frame_rate") ?? Rate(v, "r_frame_rate") ?? 25;
        var formatName = format.TryGetProperty("format_name", out var f) ? f.GetString() ?? "" : "";
        var codec = v.TryGetProperty("codec_name", out var c) ? c.GetString() ?? "" : "";
        // Single images (png, jpeg) probe as a one-frame "video"; they are not videos.
        if (formatName.Contains("image2") || formatName.EndsWith("_pipe", StringComparison.Ordinal))
        {
            return null;
        }
        return new MediaInfo(duration.Value, width, height, frameRate, hasAudio, formatName, codec);
    }

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    private static double? Rate(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.GetString() is not { } text) return null;
        var parts = text.Split('/');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && n > 0 && d > 0)
        {
            return n / d;
        }
        return null;
    }
}
