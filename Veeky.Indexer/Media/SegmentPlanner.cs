namespace Veeky.Indexer.Media;

/// <summary>Turns raw scene cuts into segments that respect the minimum and maximum segment lengths.</summary>
public static class SegmentPlanner
{
    /// <summary>Spans covering the whole video, in order, each at least <paramref name="minSeconds"/> long (unless the
    /// video itself is shorter) and at most <paramref name="maxSeconds"/>.</summary>
    public static IReadOnlyList<(double Start, double End)> Plan(IEnumerable<double> cuts, double durationSeconds,
        double minSeconds, double maxSeconds)
    {
        var kept = new List<double> { 0 };
        foreach (var cut in cuts.Order())
        {
            if (cut - kept[^1] >= minSeconds && durationSeconds - cut >= minSeconds)
            {
                kept.Add(cut);
            }
        }
        kept.Add(durationSeconds);

        var spans = new List<(double, double)>();
        for (var i = 0; i + 1 < kept.Count; i++)
        {
            var (start, end) = (kept[i], kept[i + 1]);
            // Split a long scene into equal parts, each no longer than the maximum.
            var parts = Math.Max(1, (int)Math.Ceiling((end - start) / maxSeconds - 1e-9));
            var length = (end - start) / parts;
            for (var p = 0; p < parts; p++)
            {
                spans.Add((Math.Round(start + p * length, 3), Math.Round(p == parts - 1 ? end : start + (p + 1) * length, 3)));
            }
        }
        return spans;
    }
}
