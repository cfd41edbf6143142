using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Veeky.Processes;
using Veeky.Speech;

namespace Veeky.Indexer.Speech;

/// <summary>
/// <see cref="ITranscriber"/> with CMU pocketsphinx 0.8 (<c>pocketsphinx_continuous -time yes</c>), offline and on the
/// CPU. Long audio is split at pauses into parts recognised side by side.
/// </summary>
public sealed class PocketSphinxTranscriber(ProcessRunner runner, IOptions<TranscriptionOptions> options) : ITranscriber
{
    /// <summary>Bytes per second of the 16 kHz mono 16-bit WAV the Transcribe stage provides.</summary>
    private const double WavBytesPerSecond = 32000;

    /// <summary>Fillers pocketsphinx reports as words.</summary>
    private static readonly HashSet<string> NonWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "<s>", "</s>", "<sil>", "[NOISE]", "[SPEECH]", "[BREATH]", "[COUGH]", "[UM]", "[UH]", "++NOISE++", "++BREATH++",
    };

    public string Name => "pocketsphinx";

    public async Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, IProgress<double>? progress, CancellationToken ct)
    {
        var settings = options.Value;
        var duration = Math.Max(0, new FileInfo(wavPath).Length - 44) / WavBytesPerSecond;
        var parts = duration >= 2 * settings.MinChunkSeconds && settings.Parallelism > 1
            ? await SplitAtPausesAsync(wavPath, duration, settings.Parallelism, ct)
            : [0, duration];

        var fractions = new double[parts.Count - 1];
        var results = await Task.WhenAll(Enumerable.Range(0, parts.Count - 1).Select(async i =>
        {
            var (start, end) = (parts[i], parts[i + 1]);
            var input = wavPath;
            if (parts.Count > 2)
            {
                input = Path.Combine(Path.GetDirectoryName(wavPath)!, $"{Path.GetFileNameWithoutExtension(wavPath)}.part{i}.wav");
                await runner.RunAsync("ffmpeg",
                [
                    "-hide_banner", "-nostats", "-loglevel", "error", "-y",
                    "-ss", Seconds(start), "-to", Seconds(end), "-i", wavPath, "-c", "copy", input,
                ], TimeSpan.FromMinutes(2), ct);
            }
            try
            {
                var words = new List<TranscriptWord>();
                await runner.RunAsync(settings.PocketSphinxPath, ["-infile", input, "-time", "yes"],
                    TimeSpan.FromSeconds(60 + 3 * (end - start)), ct,
                    onStdoutLine: line =>
                    {
                        if (TryParseWord(line, start, out var word))
                        {
                            lock (words) words.Add(word);
                            fractions[i] = Math.Clamp((word.End - start) / Math.Max(end - start, 0.001), 0, 1);
                            progress?.Report(fractions.Average());
                        }
                    },
                    collectStdout: false,
                    priority: settings.LowerPriority ? ProcessPriorityClass.BelowNormal : null);
                return words;
            }
            finally
            {
                if (input != wavPath) File.Delete(input);
            }
        }));
        return results.SelectMany(w => w).OrderBy(w => w.Start).ToList();
    }

    /// <summary>Parses a word line (<c>elephant 4.710 5.230 0.905280</c>), dropping fillers and the <c>(2)</c> marker
    /// of alternate pronunciations; times are shifted by <paramref name="offset"/> (the part's start).</summary>
    public static bool TryParseWord(string line, double offset, out TranscriptWord word)
    {
        word = null!;
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 4
            || !double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var start)
            || !double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var end)
            || !double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || NonWords.Contains(fields[0]))
        {
            return false;
        }
        var text = fields[0];
        var alternate = text.IndexOf('(');
        if (alternate > 0) text = text[..alternate];
        if (text.Length == 0 || text.StartsWith('[') || text.StartsWith('<'))
        {
            return false;
        }
        word = new TranscriptWord(text, Math.Round(start + offset, 3), Math.Round(end + offset, 3));
        return true;
    }

    /// <summary>Boundaries [0, .., duration] of <paramref name="count"/> parts, each inner one moved to the middle of the
    /// pause nearest to an even split (ffmpeg <c>silencedetect</c>), so no word is cut in two.</summary>
    private async Task<IReadOnlyList<double>> SplitAtPausesAsync(string wavPath, double duration, int count, CancellationToken ct)
    {
        var pauses = new List<double>();
        double? pauseStart = null;
        await runner.RunAsync("ffmpeg",
        [
            "-hide_banner", "-nostats", "-i", wavPath, "-af", "silencedetect=noise=-30dB:d=0.3", "-f", "null", "-",
        ], TimeSpan.FromMinutes(2), ct, onStderrLine: line =>
        {
            if (Number(line, "silence_start: ") is { } s) pauseStart = s;
            else if (Number(line, "silence_end: ") is { } e && pauseStart is { } b) pauses.Add((b + e) / 2);
        });
        var boundaries = new List<double> { 0 };
        var length = duration / count;
        for (var k = 1; k < count; k++)
        {
            var ideal = k * length;
            var nearest = pauses.Where(p => Math.Abs(p - ideal) < length / 4).OrderBy(p => Math.Abs(p - ideal)).FirstOrDefault(ideal);
            if (nearest > boundaries[^1] + 1) boundaries.Add(Math.Round(nearest, 3));
        }
        boundaries.Add(duration);
        return boundaries;
    }

    private static double? Number(string line, string key)
    {
        var at = line.IndexOf(key, StringComparison.Ordinal);
        if (at < 0) return null;
        var value = line.AsSpan(at + key.Length);
        var end = value.IndexOf(' ');
        return double.TryParse(end >= 0 ? value[..end] : value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
