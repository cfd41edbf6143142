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

    /// <summary>The confident words of the image in reading order, lines separated by newlines; empty when none.</summary>
    public async Task<string> ReadAsync(string imagePath, string workFolder, CancellationToken ct)
    {
        var settings = options.Value;
        var input = imagePath;
        string? prepared = null;
        if (settings.Upscale > 1)
        {
            prepared = Path.Combine(workFolder, $"ocr-{Guid.NewGuid():N}.png");
            await runner.RunAsync("ffmpeg",
            [
                "-hide_banner", "-nostats", "-loglevel", "error", "-y", "-i", imagePath,
                "-vf", $"scale=iw*{settings.Upscale}:ih*{settings.Upscale}:flags=bicubic,format=gray",
                "-update", "1", prepared,
            ], Timeout, ct);
            input = prepared;
        }
        try
        {
            var result = await runner.RunAsync(settings.TesseractPath,
            [
                input, "stdout", "-l", settings.Language,
                "--psm", settings.PageSegmentationMode.ToString(CultureInfo.InvariantCulture), "tsv",
            ], Timeout, ct);
            return ParseTsv(result.Stdout, settings.MinConfidence, settings.MinAlphanumerics);
        }
        finally
        {
            if (prepared is not null) File.Delete(prepared);
        }
    }

    /// <summary>Keeps word rows (level 5) with enough confidence and enough letters or digits; tesseract's TSV columns
    /// are level, page, block, paragraph, line, word, left, top, width, height, conf, text.</summary>
    public static string ParseTsv(string tsv, double minConfidence, int minAlphanumerics)
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
        return string.Join('\n', lines.Select(words => string.Join(' ', words)));
    }
}
