using System.Globalization;
using System.Text;

namespace Veeky.Captions;

/// <summary>Writes cues as WebVTT (what the HTML <c>&lt;track&gt;</c> element plays) and SubRip (what video editors
/// and most players import).</summary>
public static class CaptionFormats
{
    public const string WebVttContentType = "text/vtt; charset=utf-8";
    public const string SubRipContentType = "application/x-subrip; charset=utf-8";

    public static string ToWebVtt(IReadOnlyList<CaptionCue> cues)
    {
        var text = new StringBuilder("WEBVTT\n");
        for (var i = 0; i < cues.Count; i++)
        {
            text.Append('\n').Append(i + 1).Append('\n')
                .Append(Time(cues[i].Start, '.')).Append(" --> ").Append(Time(cues[i].End, '.')).Append('\n');
            foreach (var line in cues[i].Lines)
            {
                // Cue text is markup in WebVTT: a transcript's "<" or "&" must show as written, and "-->" cannot end a cue.
                text.Append(line.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;")).Append('\n');
            }
        }
        return text.ToString();
    }

    public static string ToSubRip(IReadOnlyList<CaptionCue> cues)
    {
        var text = new StringBuilder();
        for (var i = 0; i < cues.Count; i++)
        {
            if (i > 0)
            {
                text.Append("\r\n");
            }
            // SubRip is a Windows-born format: CRLF is what every reader accepts.
            text.Append(i + 1).Append("\r\n")
                .Append(Time(cues[i].Start, ',')).Append(" --> ").Append(Time(cues[i].End, ',')).Append("\r\n");
            foreach (var line in cues[i].Lines)
            {
                text.Append(line).Append("\r\n");
            }
        }
        return text.ToString();
    }

    /// <summary><c>hh:mm:ss.fff</c> (WebVTT) or <c>hh:mm:ss,fff</c> (SubRip); hours grow past 99 for very long videos.</summary>
    private static string Time(double seconds, char separator)
    {
        var milliseconds = (long)Math.Round(Math.Max(0, seconds) * 1000, MidpointRounding.AwayFromZero);
        var hours = milliseconds / 3_600_000;
        var minutes = milliseconds / 60_000 % 60;
        var secs = milliseconds / 1000 % 60;
        return string.Create(CultureInfo.InvariantCulture, $"{hours:00}:{minutes:00}:{secs:00}{separator}{milliseconds % 1000:000}");
    }
}
