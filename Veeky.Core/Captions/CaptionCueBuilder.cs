using Veeky.Speech;

namespace Veeky.Captions;

/// <summary>
/// Turns timed words (or phrases) into captions people can read: the common subtitle guidelines (BBC, Netflix) keep a
/// cue to two lines of about 42 characters and about 7 seconds, end it at a long pause rather than leave text over
/// silence, and close it at the end of a sentence when it is already well filled.
/// </summary>
public static class CaptionCueBuilder
{
    /// <summary>Characters per line: the usual limit for Latin scripts on a TV-sized or laptop screen.</summary>
    public const int MaxLineLength = 42;

    /// <summary>Lines per cue: a third line covers the picture.</summary>
    public const int MaxLines = 2;

    /// <summary>Longest time one cue stays up; longer talk without a pause is split.</summary>
    public const double MaxCueSeconds = 7.0;

    /// <summary>A silence at least this long ends the cue, so no caption spans it.</summary>
    public const double LongPauseSeconds = 1.0;

    /// <summary>A short cue stays up this long (when the next one allows) so it can be read at all.</summary>
    public const double MinCueSeconds = 1.0;

    public static IReadOnlyList<CaptionCue> Build(IReadOnlyList<TranscriptWord> transcript)
    {
        var words = SplitPhrases(transcript);
        var cues = new List<CaptionCue>();
        var current = new List<TranscriptWord>();
        foreach (var word in words)
        {
            if (current.Count > 0 && !Belongs(current, word))
            {
                cues.Add(ToCue(current));
                current.Clear();
            }
            current.Add(word);
            if (EndsSentence(word.Text) && Text(current).Length > MaxLineLength)
            {
                cues.Add(ToCue(current));
                current.Clear();
            }
        }
        if (current.Count > 0)
        {
            cues.Add(ToCue(current));
        }
        return StretchShortCues(cues);
    }

    /// <summary>The cue's text broken into at most <see cref="MaxLines"/> balanced lines; a single word longer than a
    /// line stays whole.</summary>
    public static IReadOnlyList<string> BreakLines(string text)
    {
        if (text.Length <= MaxLineLength)
        {
            return [text];
        }
        // Of the breaks between words that keep both lines within the limit, the most even one reads best.
        string[]? best = null;
        for (var i = text.IndexOf(' '); i >= 0; i = text.IndexOf(' ', i + 1))
        {
            var first = text[..i];
            var second = text[(i + 1)..];
            if (best is null || Math.Max(first.Length, second.Length) < Math.Max(best[0].Length, best[1].Length))
            {
                best = [first, second];
            }
        }
        return best ?? [text];
    }

    private static bool Belongs(List<TranscriptWord> cue, TranscriptWord next)
    {
        if (next.Start - cue[^1].End >= LongPauseSeconds || next.End - cue[0].Start > MaxCueSeconds)
        {
            return false;
        }
        var lines = BreakLines(Text(cue) + " " + next.Text);
        return lines.Count <= MaxLines && lines.All(l => l.Length <= MaxLineLength);
    }

    private static CaptionCue ToCue(List<TranscriptWord> words) =>
        new(words[0].Start, Math.Max(words[^1].End, words[0].Start), BreakLines(Text(words)));

    private static string Text(List<TranscriptWord> words) => string.Join(' ', words.Select(w => w.Text));

    private static bool EndsSentence(string word) => word.Length > 0 && word[^1] is '.' or '?' or '!';

    /// <summary>Whisper gives phrases, pocketsphinx words: phrases are cut into words with times shared out by length,
    /// so a long phrase can still be split across cues (and a phrase holding two sentences split between them).</summary>
    internal static List<TranscriptWord> SplitPhrases(IReadOnlyList<TranscriptWord> transcript)
    {
        var words = new List<TranscriptWord>();
        foreach (var phrase in transcript.OrderBy(w => w.Start))
        {
            var parts = phrase.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }
            var duration = Math.Max(0, phrase.End - phrase.Start);
            var letters = (double)parts.Sum(p => p.Length);
            var at = phrase.Start;
            foreach (var part in parts)
            {
                var length = duration * part.Length / letters;
                words.Add(new TranscriptWord(part, at, at + length));
                at += length;
            }
        }
        return words;
    }

    private static List<CaptionCue> StretchShortCues(List<CaptionCue> cues)
    {
        for (var i = 0; i < cues.Count; i++)
        {
            var cue = cues[i];
            if (cue.End - cue.Start >= MinCueSeconds)
            {
                continue;
            }
            var limit = i + 1 < cues.Count ? cues[i + 1].Start : double.MaxValue;
            cues[i] = cue with { End = Math.Max(cue.End, Math.Min(cue.Start + MinCueSeconds, limit)) };
        }
        return cues;
    }
}
