using System.Globalization;

namespace Veeky.Web.Components.Shared;

/// <summary>Times in a video as people read them: <c>mm:ss</c>, or <c>h:mm:ss</c> from one hour on.</summary>
public static class MediaTime
{
    public static string Format(double seconds)
    {
        // Floor, not round: a moment starting at 59.7 s is shown as 00:59, where the player lands.
        var whole = double.IsFinite(seconds) && seconds > 0 ? (long)Math.Floor(seconds) : 0;
        var (hours, rest) = Math.DivRem(whole, 3600);
        var (minutes, secs) = Math.DivRem(rest, 60);
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{hours}:{minutes:00}:{secs:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{minutes:00}:{secs:00}");
    }

    /// <summary>A span such as <c>01:05–01:32</c> (en dash, as typography wants for ranges).</summary>
    public static string FormatRange(double start, double end) => $"{Format(start)}–{Format(end)}";

    /// <summary>The value of a <c>?t=</c> link: seconds with at most two decimals, invariant culture.</summary>
    public static string ToQueryValue(double seconds) =>
        Math.Max(0, seconds).ToString("0.##", CultureInfo.InvariantCulture);
}
