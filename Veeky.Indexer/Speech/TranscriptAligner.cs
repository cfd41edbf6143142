using Veeky.Speech;

namespace Veeky.Indexer.Speech;

/// <summary>Assigns timed words to segments: each word to the segment holding most of it (a word spanning a cut
/// goes to the side where more of it was spoken).</summary>
public static class TranscriptAligner
{
    /// <summary>The transcript text of each segment (same order as <paramref name="segments"/>); null where nothing was said.</summary>
    public static IReadOnlyList<string?> Assign(IReadOnlyList<TranscriptWord> words, IReadOnlyList<(double Start, double End)> segments)
    {
        var assigned = segments.Select(_ => new List<string>()).ToList();
        if (segments.Count == 0)
        {
            return [];
        }
        foreach (var word in words.OrderBy(w => w.Start))
        {
            var best = 0;
            var bestOverlap = double.NegativeInfinity;
            var middle = (word.Start + word.End) / 2;
            for (var i = 0; i < segments.Count; i++)
            {
                var overlap = Math.Min(word.End, segments[i].End) - Math.Max(word.Start, segments[i].Start);
                // A zero-length word has no overlap anywhere; its position decides.
                if (word.End <= word.Start)
                {
                    overlap = middle >= segments[i].Start && middle < segments[i].End ? 0 : -Distance(middle, segments[i]);
                }
                if (overlap > bestOverlap)
                {
                    best = i;
                    bestOverlap = overlap;
                }
            }
            assigned[best].Add(word.Text);
        }
        return assigned.Select(w => w.Count == 0 ? null : string.Join(' ', w)).ToList();
    }

    private static double Distance(double time, (double Start, double End) segment) =>
        time < segment.Start ? segment.Start - time : Math.Max(0, time - segment.End);
}
