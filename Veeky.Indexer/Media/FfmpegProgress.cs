using System.Globalization;

namespace Veeky.Indexer.Media;

/// <summary>Reads the position from ffmpeg's <c>-progress</c> output (<c>out_time_us=12480000</c> lines).</summary>
public static class FfmpegProgress
{
    /// <summary>Arguments that make ffmpeg print machine-readable progress on stdout twice a second.</summary>
    public static readonly IReadOnlyList<string> Arguments = ["-progress", "pipe:1", "-stats_period", "0.5"];

    /// <summary>An <see cref="Action{T}"/> for stdout lines that reports position / duration to <paramref name="progress"/>.</summary>
    public static Action<string> Reporter(double durationSeconds, IProgress<double>? progress) => line =>
    {
        if (progress is not null && durationSeconds > 0 && TryParsePosition(line, out var seconds))
        {
            progress.Report(Math.Clamp(seconds / durationSeconds, 0, 1));
        }
    };

    public static bool TryParsePosition(string line, out double seconds)
    {
        seconds = 0;
        const string key = "out_time_us=";
        if (!line.StartsWith(key, StringComparison.Ordinal)
            || !long.TryParse(line.AsSpan(key.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros))
        {
            return false;
        }
        seconds = micros / 1_000_000.0;
        return true;
    }
}
