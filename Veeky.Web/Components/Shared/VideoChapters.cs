using System.Globalization;
using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Web.Components.Shared;

/// <summary>One segment of a video as a chapter of the timeline strip: where it sits and how it is announced.</summary>
/// <param name="Number">1-based, as people count chapters.</param>
/// <param name="Offset">Where the chapter starts along the strip, in percent of the video.</param>
/// <param name="Width">How much of the strip the chapter covers, in percent of the video.</param>
public sealed record Chapter(int Number, int SegmentIndex, double Start, double End, double Offset, double Width, string? KeyframeUrl)
{
    /// <summary>The visible label: where the chapter starts.</summary>
    public string TimeLabel => MediaTime.Format(Start);

    /// <summary>The accessible name, e.g. "Chapter 3, 00:42 to 01:10".</summary>
    public string Name => $"Chapter {Number.ToString(CultureInfo.InvariantCulture)}, {MediaTime.Format(Start)} to {MediaTime.Format(End)}";

    public bool Contains(double seconds) => seconds >= Start && seconds < End;
}

/// <summary>
/// The segments of a video laid out as chapters along its duration, and which one plays at a given time. Kept apart
/// from the components so the arithmetic is tested without rendering, and mirrored by player.js during playback.
/// </summary>
public sealed class VideoChapters
{
    private VideoChapters(IReadOnlyList<Chapter> items, double duration)
    {
        Items = items;
        Duration = duration;
    }

    public static VideoChapters Empty { get; } = new([], 0);

    public IReadOnlyList<Chapter> Items { get; }

    /// <summary>The length the positions are relative to: the video's duration, or the last segment's end when longer
    /// (a probe can round the duration down).</summary>
    public double Duration { get; }

    public static VideoChapters From(IReadOnlyList<VideoSegment>? segments, double? durationSeconds)
    {
        if (segments is not { Count: > 0 })
        {
            return Empty;
        }
        var ordered = segments.OrderBy(s => s.Start).ToList();
        var lastEnd = ordered.Max(s => Finite(s.End));
        var duration = Math.Max(Finite(durationSeconds ?? 0), lastEnd);
        if (duration <= 0)
        {
            // Segments without length (a broken probe): spread them evenly rather than stacking them at zero.
            var even = 100.0 / ordered.Count;
            return new(ordered.Select((s, i) => new Chapter(i + 1, s.Index, 0, 0, i * even, even, s.ThumbnailUrl ?? s.KeyframeUrl)).ToList(), 0);
        }
        var chapters = ordered.Select((s, i) =>
        {
            var start = Math.Clamp(Finite(s.Start), 0, duration);
            var end = Math.Clamp(Finite(s.End), start, duration);
            return new Chapter(i + 1, s.Index, start, end, Percent(start, duration), Percent(end - start, duration), s.ThumbnailUrl ?? s.KeyframeUrl);
        }).ToList();
        return new(chapters, duration);
    }

    /// <summary>The chapter playing at <paramref name="seconds"/>; past the end, the last one; null before any or when empty.</summary>
    public Chapter? At(double? seconds)
    {
        if (seconds is not double t || !double.IsFinite(t) || Items.Count == 0)
        {
            return null;
        }
        // Chapters are ordered by start: the last one starting at or before t holds it, unless t falls in a gap.
        Chapter? found = null;
        foreach (var chapter in Items)
        {
            if (chapter.Start > t)
            {
                break;
            }
            found = chapter;
        }
        if (found is null)
        {
            return null;
        }
        return found.Contains(t) || found == Items[^1] ? found : null;
    }

    private static double Finite(double value) => double.IsFinite(value) && value > 0 ? value : 0;

    private static double Percent(double part, double whole) => Math.Round(part / whole * 100, 3);
}
