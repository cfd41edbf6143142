using System.Globalization;
using Microsoft.Extensions.Options;
using Veeky.Processes;

namespace Veeky.Indexer.Media;

/// <summary>Finds scene cuts with ffmpeg's scene score on a downscaled copy of the picture, in one decode pass.</summary>
public sealed class SceneDetector(ProcessRunner runner, IOptions<SceneDetectionOptions> options)
{
    private const string MetadataFile = "scenes.txt";

    /// <summary>Times (seconds) where a new scene starts, in order; the start of the video is not included.</summary>
    public async Task<IReadOnlyList<double>> DetectAsync(string videoPath, double durationSeconds, string workFolder,
        IProgress<double>? progress, CancellationToken ct)
    {
        var settings = options.Value;
        var threshold = settings.Threshold.ToString(CultureInfo.InvariantCulture);
        var filter = $"scale={settings.AnalysisWidth}:-2:flags={settings.Scaler},select='gt(scene,{threshold})',metadata=print:file={MetadataFile}";
        var metadataPath = Path.Combine(workFolder, MetadataFile);
        File.Delete(metadataPath);
        string[] arguments =
        [
            "-hide_banner", "-nostats", "-loglevel", "error", "-y",
            "-i", videoPath,
            "-map", "0:v:0", "-an", "-sn", "-dn",
            "-vf", filter,
            .. FfmpegProgress.Arguments,
            "-f", "null", "-",
        ];
        await runner.RunAsync("ffmpeg", arguments, Timeout(durationSeconds), ct,
            onStdoutLine: FfmpegProgress.Reporter(durationSeconds, progress), collectStdout: false, workingDirectory: workFolder);
        var cuts = File.Exists(metadataPath) ? ParseCuts(await File.ReadAllLinesAsync(metadataPath, ct)) : [];
        File.Delete(metadataPath);
        return cuts;
    }

    /// <summary>Reads <c>pts_time</c> from <c>metadata=print</c> output (<c>frame:0 pts:40960 pts_time:3.2</c>).</summary>
    public static IReadOnlyList<double> ParseCuts(IEnumerable<string> lines)
    {
        const string key = "pts_time:";
        var cuts = new List<double>();
        foreach (var line in lines)
        {
            var at = line.IndexOf(key, StringComparison.Ordinal);
            if (!line.StartsWith("frame:", StringComparison.Ordinal) || at < 0)
            {
                continue;
            }
            var value = line.AsSpan(at + key.Length).Trim();
            var end = value.IndexOf(' ');
            if (end >= 0) value = value[..end];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var time) && time > 0)
            {
                cuts.Add(time);
            }
        }
        cuts.Sort();
        return cuts;
    }

    /// <summary>A decode pass runs many times faster than realtime; one minute plus the video's own length is a hang.</summary>
    private static TimeSpan Timeout(double durationSeconds) => TimeSpan.FromSeconds(60 + durationSeconds);
}
