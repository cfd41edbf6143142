using System.Globalization;
using Veeky.Indexer.Text;
using Veeky.Processes;

namespace Veeky.Bench;

/// <summary>
/// The preparation the ReadText stage used before issue 10, kept here only to be measured against the current
/// <see cref="TesseractOcr"/>: the grayscale picture stacked above a mask of its brightest pixels, read by tesseract as
/// one image (so with one threshold for both halves), a word read in both halves kept once by its text.
/// </summary>
internal sealed class StackedBrightMaskOcr(ProcessRunner runner, TextReadingOptions settings)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, string> SingleThreaded = new() { ["OMP_THREAD_LIMIT"] = "1" };

    public async Task<string> ReadAsync(string imagePath, int imageHeight, string workFolder, CancellationToken ct)
    {
        var prepared = Path.Combine(workFolder, $"ocr-{Guid.NewGuid():N}.png");
        var enlarge = imageHeight < settings.UpscaleBelowHeight ? "scale=iw*2:ih*2:flags=bicubic," : "";
        try
        {
            await runner.RunAsync("ffmpeg",
            [
                "-hide_banner", "-nostats", "-loglevel", "error", "-y", "-i", imagePath,
                "-filter_complex",
                $"[0:v]{enlarge}format=gray,split=2[plain][mask];[mask]lut=y='if(gte(val,{settings.BrightTextLuma}),0,255)'[bright];[plain][bright]vstack",
                "-update", "1", prepared,
            ], Timeout, ct);
            var result = await runner.RunAsync(settings.TesseractPath,
            [
                prepared, "stdout", "-l", settings.Language,
                "--psm", settings.PageSegmentationMode.ToString(CultureInfo.InvariantCulture), "tsv",
            ], Timeout, ct, environment: SingleThreaded);
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var lines = ParseTsvLines(result.Stdout, settings.MinConfidence, settings.MinAlphanumerics)
                .Select(words => words.Where(seen.Add).ToList())
                .Where(words => words.Count > 0);
            return string.Join('\n', lines.Select(words => string.Join(' ', words)));
        }
        finally
        {
            File.Delete(prepared);
        }
    }

    private static List<List<string>> ParseTsvLines(string tsv, double minConfidence, int minAlphanumerics)
    {
        var lines = new List<List<string>>();
        (int, int, int)? currentLine = null;
        foreach (var row in tsv.Split('\n'))
        {
            var columns = row.TrimEnd('\r').Split('\t');
            if (columns.Length < 12 || columns[0] != "5") continue;
            var text = columns[11].Trim();
            if (!double.TryParse(columns[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence)
                || confidence < minConfidence
                || text.Count(char.IsLetterOrDigit) < minAlphanumerics)
            {
                continue;
            }
            var line = (int.Parse(columns[2], CultureInfo.InvariantCulture), int.Parse(columns[3], CultureInfo.InvariantCulture),
                int.Parse(columns[4], CultureInfo.InvariantCulture));
            if (currentLine != line)
            {
                lines.Add([]);
                currentLine = line;
            }
            lines[^1].Add(text);
        }
        return lines;
    }
}
