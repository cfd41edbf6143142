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
        var punctuated = words.Any(w => EndsSentence(w.Text));
        var sentences = new List<TranscriptSentence>();
        var current = new List<TranscriptWord>();
        foreach (var word in words)
        {
            if (current.Count > 0 && (word.End - current[0].Start > MaxSentenceSeconds
                || (!punctuated && word.Start - current[^1].End >= PauseSeconds)))
            {
                sentences.Add(ToSentence(current));
                current.Clear();
            }
            current.Add(word);
            if (EndsSentence(word.Text))
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

    /// <summary>"end.", "really?!", "so…" and "said.\"" end a sentence, "3.5" does not. An abbreviation ("Mr.") cuts
    /// too: rare in speech, and a short line is a small price next to guessing.</summary>
    private static bool EndsSentence(string word)
    {
        var text = word.TrimEnd('"', '\'', ')', ']', '»', '”', '’');
        return text.Length > 0 && text[^1] is '.' or '?' or '!' or '…';
    }
}
