namespace Veeky.Search;

/// <summary>
/// Orders a search's hits as a person reads them. Every moment of a video carries its video's title, description and
/// keywords, so a word of the title lifts all of them above a moment that says the word: the engines rank it so (both
/// alike). Here moments whose own words match (transcript, on-screen text, caption) or whose meaning does come first,
/// in the engine's order; the moments that match only through their video follow as ONE row per video (its earliest
/// such moment, the best score among them, every video field that matched), best first. Access control stays in the
/// engine's query: only hits the caller may see are ever regrouped.
/// </summary>
public static class MomentRanking
{
    /// <summary>
    /// Moments of a text search regrouped as a whole: the engine's best 200 hold every own-word moment a person pages
    /// to (ten pages of twenty) even when a video whose title matches has a hundred moments ranked above them, for the
    /// cost of snippets for 200 moments. Hybrid and semantic searches regroup the moments the engine fuses anyway
    /// (<see cref="SearchOptions.CandidateCount"/>), so fusion ranks exactly the candidates it ranked before.
    /// </summary>
    public const int TextDepth = 200;

    /// <summary>
    /// The request's page of rows: the engine's best moments (from the first, at least <see cref="TextDepth"/> for text
    /// or <paramref name="candidateCount"/> otherwise) regrouped by <see cref="Rank"/>. The total counts rows: moments
    /// and video rows among those, plus the engine's moments beyond them.
    /// </summary>
    public static async Task<SearchResult> SearchAsync(ISearchIndex index, SearchRequest request, int candidateCount, CancellationToken ct = default)
    {
        var offset = Math.Max(0, request.Offset);
        var limit = Math.Max(0, request.Limit);
        var depth = Math.Max(offset + limit, request.Mode == SearchMode.Text ? TextDepth : candidateCount);
        var found = await index.SearchAsync(request with { Offset = 0, Limit = depth }, ct);
        var rows = Rank(found.Hits);
        var beyond = Math.Max(0, found.Total - found.Hits.Count);
        return new SearchResult(found.Mode, rows.Count + beyond, [.. rows.Skip(offset).Take(limit)]);
    }

    /// <summary>Own-word (and by-meaning) moments in their order, then one row per video matching only by its fields.</summary>
    public static IReadOnlyList<SearchHit> Rank(IReadOnlyList<SearchHit> hits)
    {
        var moments = hits.Where(h => !h.MatchedOnlyThroughItsVideo);
        // GroupBy keeps the order videos first appear in, which is best first; OrderByDescending is stable on ties.
        var videos = hits.Where(h => h.MatchedOnlyThroughItsVideo).GroupBy(h => h.VideoId)
            .Select(VideoRow).OrderByDescending(h => h.Score);
        return [.. moments, .. videos];
    }

    private static SearchHit VideoRow(IEnumerable<SearchHit> moments)
    {
        var all = moments.ToList();
        // The earliest moment found stands for the video: a title match matches every moment, so this is its start.
        var first = all.MinBy(h => h.Start)!;
        string[] order = [SearchFields.Title, SearchFields.Description, SearchFields.Keywords];
        return first with
        {
            Score = all.Max(h => h.Score),
            MatchedFields = [.. order.Where(f => all.Any(h => h.MatchedFields.Contains(f)))],
        };
    }
}
