using System.Globalization;
using Microsoft.Extensions.Options;
using Veeky.Processes;

namespace Veeky.Indexer.Text;

/// <summary>Reads on-screen text from an image with tesseract, keeping only words it is confident about.</summary>
public sealed class TesseractOcr(ProcessRunner runner, IOptions<TextReadingOptions> options)
{
    /// <summary>One keyframe takes well under a second; a minute is a hang.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public bool IsAvailable => ProcessRunner.IsAvailable(options.Value.TesseractPath);

    public string ToolName => options.Value.TesseractPath;

    /// <summary>One thread per tesseract: keyframes are read side by side instead.</summary>
    private static readonly Dictionary<string, string> SingleThreaded = new() { ["OMP_THREAD_LIMIT"] = "1" };

    /// <summary>
    /// The confident words of the image, lines separated by newlines; empty when none. Tesseract reads, in one run, the
    /// grayscale picture (enlarged when lower than <see cref="TextReadingOptions.UpscaleBelowHeight"/>) stacked above a
    /// mask of its brightest pixels, which finds white captions over busy backgrounds. One run of the stacked image
    /// costs about half of two runs (measured on two cores); a word read in both halves is kept once.
    /// </summary>
    public async Task<string> ReadAsync(string imagePath, int imageHeight, string workFolder, CancellationToken ct)
    {
        var settings = options.Value;
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

    /// <summary>The confident words of tesseract's TSV output as text, lines separated by newlines.</summary>
    public static string ParseTsv(string tsv, double minConfidence, int minAlphanumerics) =>
        string.Join('\n', ParseTsvLines(tsv, minConfidence, minAlphanumerics).Select(words => string.Join(' ', words)));

    /// <summary>Keeps word rows (level 5) with enough confidence and enough letters or digits; tesseract's TSV columns
    /// are level, page, block, paragraph, line, word, left, top, width, height, conf, text.</summary>
    private static IReadOnlyList<IReadOnlyList<string>> ParseTsvLines(string tsv, double minConfidence, int minAlphanumerics)
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
