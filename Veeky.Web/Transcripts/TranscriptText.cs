using System.Text;
using Veeky.Contracts;
using Veeky.Web.Api;
using Veeky.Web.Components.Shared;

namespace Veeky.Web.Transcripts;

/// <summary>A video's transcript as plain text to keep or paste: the title, then one line per sentence as the video page
/// shows them, each starting with its time (<c>[01:05] what was said</c>).</summary>
public static class TranscriptText
{
    /// <summary>
    /// The sentences the video page reads out: those of <c>GET /api/videos/{id}/sentences</c> (cut where a sentence ends,
    /// not at scene changes) or, for a video indexed before timed words were kept, each moment's words as one line.
    /// </summary>
    public static IReadOnlyList<TranscriptSentence> Sentences(IReadOnlyList<TranscriptSentence>? sentences, IEnumerable<VideoSegment>? segments) =>
        sentences is { Count: > 0 } || segments is null
            ? sentences ?? []
            : [.. segments.Where(s => !string.IsNullOrWhiteSpace(s.Transcript)).OrderBy(s => s.Start)
                .Select(s => new TranscriptSentence(s.Start, s.End, s.Transcript!.Trim()))];

    public static string Write(string title, IEnumerable<TranscriptSentence> sentences)
    {
        var text = new StringBuilder().Append(title).Append('\n').Append('\n');
        var any = false;
        foreach (var sentence in sentences.OrderBy(s => s.Start))
        {
            // One line per sentence: line breaks inside the recognised text would break the [time] layout.
            var words = string.Join(' ', sentence.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (words.Length == 0)
            {
                continue;
            }
            any = true;
            text.Append('[').Append(MediaTime.Format(sentence.Start)).Append("] ").Append(words).Append('\n');
        }
        if (!any)
        {
            text.Append("No speech was transcribed in this video.\n");
        }
        return text.ToString();
    }

    /// <summary>A download name from the title, with the characters file systems refuse replaced.</summary>
    public static string FileName(string title)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['\\', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var name = new string(title.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim();
        return (name.Length == 0 ? "transcript" : name) + ".txt";
    }
}
