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
    /// The engine's best moments a text search regroups into its video rows. The own-word moments are never taken from
    /// this window (the engine pages them exactly, <see cref="SearchRequest.OwnWordsOnly"/>); the window only finds the
    /// videos matching by their fields, one row each after every own-word moment, so 200 moments covering a few videos
    /// (every moment of a titled video matches alike) are enough for the rows people page to.
    /// </summary>
    public const int TextDepth = 200;

    /// <summary>
    /// The request's page of rows. Text: the own-word moments as the engine pages them (<see cref="SearchRequest.OwnWordsOnly"/>,
    /// so none is crowded out by a video whose title repeats the word, and pages neither repeat nor skip), then one row
    /// per video matching only by its fields, found among the engine's best <see cref="TextDepth"/> moments; both asked
    /// concurrently, since the total (rows: the engine's own-word moments plus those video rows) needs both on every
    /// page. Hybrid and semantic: the engine's best moments (at least <paramref name="candidateCount"/>, what fusion
    /// ranks anyway) regrouped by <see cref="Rank"/>, the total counting those rows plus the engine's moments beyond them.
    /// </summary>
    public static async Task<SearchResult> SearchAsync(ISearchIndex index, SearchRequest request, int candidateCount, CancellationToken ct = default)
    {
        var offset = Math.Max(0, request.Offset);
        var limit = Math.Max(0, request.Limit);
        if (request.Mode == SearchMode.Text)
        {
            var ownWords = index.SearchAsync(request with { Offset = offset, Limit = limit, OwnWordsOnly = true }, ct);
            var window = index.SearchAsync(request with { Offset = 0, Limit = TextDepth, OwnWordsOnly = false }, ct);
            var (own, all) = (await ownWords, await window);
            var videoRows = VideoRows(all.Hits);
            // Rows past the own-word moments are video rows: the page's share of them starts where it passes the last moment.
            var intoVideoRows = Math.Max(0, offset - own.Total);
            var page = own.Hits.Concat(videoRows.Skip(intoVideoRows).Take(Math.Max(0, limit - own.Hits.Count)));
            return new SearchResult(own.Mode, own.Total + videoRows.Count, [.. page]);
        }
        var depth = Math.Max(offset + limit, candidateCount);
        var found = await index.SearchAsync(request with { Offset = 0, Limit = depth }, ct);
        var rows = Rank(found.Hits);
        var beyond = Math.Max(0, found.Total - found.Hits.Count);
        return new SearchResult(found.Mode, rows.Count + beyond, [.. rows.Skip(offset).Take(limit)]);
    }

    /// <summary>Own-word (and by-meaning) moments in their order, then one row per video matching only by its fields.</summary>
    public static IReadOnlyList<SearchHit> Rank(IReadOnlyList<SearchHit> hits)
    {
        var moments = hits.Where(h => !h.MatchedOnlyThroughItsVideo);
        return [.. moments, .. VideoRows(hits)];
    }

    /// <summary>One row per video among <paramref name="hits"/> that match only by its fields, best first.</summary>
    private static List<SearchHit> VideoRows(IReadOnlyList<SearchHit> hits) =>
        // GroupBy keeps the order videos first appear in, which is best first; OrderByDescending is stable on ties.
        [.. hits.Where(h => h.MatchedOnlyThroughItsVideo).GroupBy(h => h.VideoId).Select(VideoRow).OrderByDescending(h => h.Score)];

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
