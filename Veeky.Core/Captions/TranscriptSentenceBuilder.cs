using Veeky.Contracts;
using Veeky.Speech;

namespace Veeky.Captions;

/// <summary>
/// Turns timed words (or phrases) into sentences to read along, as a transcript view shows them: cut where the speaker
/// ends a sentence, never where the picture changes scene. Speech recognised without punctuation (pocketsphinx) has no
/// sentence ends to find, so it is cut at pauses instead, and any run of talk without either is cut at
/// <see cref="MaxSentenceSeconds"/> so a line stays readable.
/// </summary>
public static class TranscriptSentenceBuilder
{
    /// <summary>Without punctuation, a silence this long ends a sentence: about the pause between spoken sentences.</summary>
    public const double PauseSeconds = 0.7;

    /// <summary>Longest stretch one line covers when nothing else ends it (a run-on or unpunctuated talk without pauses).</summary>
    public const double MaxSentenceSeconds = 30.0;

    public static IReadOnlyList<TranscriptSentence> Build(IReadOnlyList<TranscriptWord> transcript)
    {
        var words = CaptionCueBuilder.SplitPhrases(transcript);
        // Punctuation anywhere means the recogniser writes it: then only a sentence end cuts, not a pause for breath.
        var punctuated = words.Any(w => EndsSentence(w.Text, next: null));
        var sentences = new List<TranscriptSentence>();
        var current = new List<TranscriptWord>();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (current.Count > 0 && (word.End - current[0].Start > MaxSentenceSeconds
                || (!punctuated && word.Start - current[^1].End >= PauseSeconds)))
            {
                sentences.Add(ToSentence(current));
                current.Clear();
            }
            current.Add(word);
            if (EndsSentence(word.Text, next: i + 1 < words.Count ? words[i + 1].Text : null))
            {
                sentences.Add(ToSentence(current));
                current.Clear();
            }
        }
        if (current.Count > 0)
        {
            sentences.Add(ToSentence(current));
        }
        return sentences;
    }

    private static TranscriptSentence ToSentence(List<TranscriptWord> words) =>
        new(words[0].Start, Math.Max(words[^1].End, words[0].Start), string.Join(' ', words.Select(w => w.Text)));

    /// <summary>Titles before a name: their full stop never ends a sentence ("Mr. Smith", "St. Paul's").</summary>
    private static readonly HashSet<string> Titles = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr.", "mrs.", "ms.", "dr.", "st.", "prof.", "mt.", "vs.",
    };

    /// <summary>Abbreviations that end a sentence only when the next word starts one (a capital), as "etc." may.</summary>
    private static readonly HashSet<string> Trailing = new(StringComparer.OrdinalIgnoreCase) { "etc.", "approx.", "inc.", "ltd.", "co." };

    /// <summary>
    /// "end.", "really?!", "so…" and "said.\"" end a sentence; "3.5" does not (no stop at its end), nor does an
    /// abbreviation: a title ("Mr.", "Dr."), a dotted one ("e.g.", "i.e.", "U.S."), or
    /// "etc." followed by a lower-case word. <paramref name="next"/> is the following word, null at the end.
    /// </summary>
    private static bool EndsSentence(string word, string? next)
    {
        var text = word.TrimEnd('"', '\'', ')', ']', '»', '”', '’');
        if (text.Length == 0 || text[^1] is not ('.' or '?' or '!' or '…'))
        {
            return false;
        }
        if (text[^1] != '.' || text.EndsWith("..", StringComparison.Ordinal) || text.Length < word.Length)
        {
            return true;
        }
        var bare = text.TrimStart('"', '\'', '(', '[', '«', '“', '‘');
        if (Titles.Contains(bare) || IsDotted(bare))
        {
            return false;
        }
        return !Trailing.Contains(bare) || next is null || !char.IsLower(next.TrimStart('"', '\'', '(', '[', '«', '“', '‘').FirstOrDefault());
    }

    /// <summary>Two or more letters each followed by a stop: "e.g.", "i.e.", "U.S.", "a.m.".</summary>
    private static bool IsDotted(string text)
    {
        if (text.Length < 4 || text.Length % 2 != 0)
        {
            return false;
        }
        for (var i = 0; i < text.Length; i += 2)
        {
            if (!char.IsLetter(text[i]) || text[i + 1] != '.')
            {
                return false;
            }
        }
        return true;
    }
}
