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
    /// The confident words of the image, lines separated by newlines; empty when none. Tesseract reads, in one run, two
    /// pages of the same size: the plain grayscale picture (enlarged when lower than
    /// <see cref="TextReadingOptions.UpscaleBelowHeight"/>), which its own Otsu thresholding reads whatever the colours,
    /// and a mask of the pixels that are bright and brighter than their surroundings (see <see cref="TextReadingOptions"/>),
    /// which finds outlined captions over busy pictures. Pages, not one stacked image: tesseract's one threshold for a stack
    /// of both lost black words on coloured slides. A word read on both pages is kept once, by position (<see cref="ParseTsv"/>).
    /// </summary>
    public async Task<string> ReadAsync(string imagePath, int imageHeight, string workFolder, CancellationToken ct)
    {
        var settings = options.Value;
        var name = Path.Combine(workFolder, $"ocr-{Guid.NewGuid():N}");
        var (plain, bright, pages) = ($"{name}-plain.pgm", $"{name}-bright.pgm", $"{name}-pages.txt");
        var enlarge = imageHeight < settings.UpscaleBelowHeight ? "scale=iw*2:ih*2:flags=bicubic," : "";
        try
        {
            // PGM rather than PNG: nothing to compress, and tesseract reads it as fast.
            await runner.RunAsync("ffmpeg",
            [
                "-hide_banner", "-nostats", "-loglevel", "error", "-y", "-i", imagePath,
                "-filter_complex",
                $"[0:v]{enlarge}format=gray,split=3[plain][pixel][area];[area]boxblur=luma_radius=h/40:luma_power=1[around];"
                + $"[pixel][around]lut2=c0='if(gte(x,{settings.WhiteTextLuma})*gte(x-y,{settings.WhiteTextMargin})"
                + $"+gte(x,{settings.BrightTextLuma})*gte(x-y,{settings.BrightTextMargin}),0,255)'[bright]",
                "-map", "[plain]", "-update", "1", plain,
                "-map", "[bright]", "-update", "1", bright,
            ], Timeout, ct);
            // A text file naming images is read by tesseract as one document of several pages: one start, one model load.
            await File.WriteAllLinesAsync(pages, [plain, bright], ct);
            var result = await runner.RunAsync(settings.TesseractPath,
            [
                pages, "stdout", "-l", settings.Language,
                "--psm", settings.PageSegmentationMode.ToString(CultureInfo.InvariantCulture), "tsv",
            ], Timeout, ct, environment: SingleThreaded);
            return ParseTsv(result.Stdout, settings.MinConfidence, settings.MinAlphanumerics);
        }
        finally
        {
            File.Delete(plain);
            File.Delete(bright);
            File.Delete(pages);
        }
    }

    /// <summary>
    /// The confident words of tesseract's TSV output as text, lines (words at the same height) separated by newlines.
    /// Pages are views of the same picture, so words are merged by position: of words whose boxes overlap, the one that
    /// contains the other's text is kept (ZEPPELIN, not ELIN or ZE and PPELIN), else the more confident one. A fragment is
    /// never repeated.
    /// </summary>
    public static string ParseTsv(string tsv, double minConfidence, int minAlphanumerics) =>
        string.Join('\n', Lines(Merge(ConfidentWords(tsv, minConfidence, minAlphanumerics)))
            .Select(line => string.Join(' ', line.Select(word => word.Text))));

    /// <summary>Boxes sharing more than this part of the smaller one show the same word (or a piece of it).</summary>
    private const double SameWordOverlap = 0.5;

    /// <summary>Keeps word rows (level 5) with enough confidence and enough letters or digits; tesseract's TSV columns
    /// are level, page, block, paragraph, line, word, left, top, width, height, conf, text.</summary>
    private static List<OcrWord> ConfidentWords(string tsv, double minConfidence, int minAlphanumerics)
    {
        var words = new List<OcrWord>();
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
            words.Add(new OcrWord(text, Number(columns[6]), Number(columns[7]), Number(columns[8]), Number(columns[9]), confidence));
        }
        return words;
    }

    /// <summary>A word replaces every kept word its box overlaps when it is a better reading than each of them (ZEPPELIN
    /// read whole on one page replaces ZE and PPELIN read on the other), else it is dropped.</summary>
    private static List<OcrWord> Merge(List<OcrWord> words)
    {
        var kept = new List<OcrWord>();
        foreach (var word in words)
        {
            var same = kept.Where(other => word.Overlap(other) > SameWordOverlap).ToList();
            if (same.All(word.IsBetterReadingThan))
            {
                kept.RemoveAll(same.Contains);
                kept.Add(word);
            }
        }
        return kept;
    }

    /// <summary>Words whose middle lies within a line's height join it; lines top to bottom, words left to right.</summary>
    private static IEnumerable<IEnumerable<OcrWord>> Lines(List<OcrWord> words)
    {
        var lines = new List<List<OcrWord>>();
        foreach (var word in words.OrderBy(w => w.Top).ThenBy(w => w.Left))
        {
            var middle = word.Top + word.Height / 2;
            var line = lines.Find(l => l[0].Top <= middle && middle <= l[0].Top + l[0].Height);
            if (line is null) lines.Add([word]);
            else line.Add(word);
        }
        return lines.Select(line => line.OrderBy(w => w.Left));
    }

    private static int Number(string column) => int.Parse(column, CultureInfo.InvariantCulture);

    private sealed record OcrWord(string Text, int Left, int Top, int Width, int Height, double Confidence)
    {
        private string Letters { get; } = new string(Text.Where(char.IsLetterOrDigit).ToArray());

        /// <summary>The shared area as a part of the smaller box.</summary>
        public double Overlap(OcrWord other)
        {
            var across = Math.Min(Left + Width, other.Left + other.Width) - Math.Max(Left, other.Left);
            var down = Math.Min(Top + Height, other.Top + other.Height) - Math.Max(Top, other.Top);
            var smaller = Math.Min(Width * Height, other.Width * other.Height);
            return across <= 0 || down <= 0 || smaller <= 0 ? 0 : (double)across * down / smaller;
        }

        public bool IsBetterReadingThan(OcrWord other)
        {
            if (Letters.Length != other.Letters.Length)
            {
                var (longer, shorter) = Letters.Length > other.Letters.Length ? (this, other) : (other, this);
                if (longer.Letters.Contains(shorter.Letters, StringComparison.OrdinalIgnoreCase)) return ReferenceEquals(longer, this);
            }
            return Confidence > other.Confidence;
        }
    }
}
