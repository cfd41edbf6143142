using System.Text;
using Veeky.Contracts;
using Veeky.Web.Api;
using Veeky.Web.Components.Shared;

namespace Veeky.Web.Transcripts;

/// <summary>A video's transcript as plain text to keep or paste: the title, then one line per moment that has speech,
/// each starting with its time as the page shows it (<c>[01:05] what was said</c>).</summary>
public static class TranscriptText
{
    public static string Write(string title, IEnumerable<VideoSegment> segments)
    {
        var text = new StringBuilder().Append(title).Append('\n').Append('\n');
        var any = false;
        foreach (var segment in segments.OrderBy(s => s.Start))
        {
            if (string.IsNullOrWhiteSpace(segment.Transcript))
            {
                continue;
            }
            any = true;
            // One line per moment: line breaks inside the recognised text would break the [time] layout.
            var words = string.Join(' ', segment.Transcript.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            text.Append('[').Append(MediaTime.Format(segment.Start)).Append("] ").Append(words).Append('\n');
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
