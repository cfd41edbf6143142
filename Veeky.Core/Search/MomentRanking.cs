namespace Veeky.Search;

/// <summary>
/// Orders a search's hits as a person reads them. Every moment of a video carries its video's title, description and
/// keywords, so a word of the title lifts all of them above a moment that says the word: the engines rank it so (both
/// alike). Here moments whose own words match (transcript, on-screen text, caption) or whose meaning does come first,
/// in the engine's order; the moments that match only through their video follow as ONE row per video (its earliest
/// such moment, the best score among them), best first. Access control stays in the
/// engine's query: only hits the caller may see are ever regrouped.
/// </summary>
public static class MomentRanking
{
    /// <summary>
    /// The request's page of rows. Text: the own-word moments as the engine pages them (<see cref="TextMatches.OwnWords"/>,
    /// so none is crowded out by a video whose title repeats the word, and pages neither repeat nor skip), then the videos
    /// matching only by their fields, one row each, as the engine collapses them (<see cref="TextMatches.VideoRows"/>, so
    /// every such video is listed and counted however many moments it has). The total is both counts. The first page asks
    /// both at once; a later page's video rows start where the own-word moments end, so it asks them once those are
    /// counted. Hybrid and semantic: the engine's best moments (at least <paramref name="candidateCount"/>, what fusion
    /// ranks anyway) regrouped by <see cref="Rank"/>, the total counting those rows plus the engine's moments beyond them.
    /// </summary>
    public static async Task<SearchResult> SearchAsync(ISearchIndex index, SearchRequest request, int candidateCount, CancellationToken ct = default)
    {
        var offset = Math.Max(0, request.Offset);
        var limit = Math.Max(0, request.Limit);
        if (request.Mode == SearchMode.Text)
        {
            var ownWords = index.SearchAsync(request with { Offset = offset, Limit = limit, Matches = TextMatches.OwnWords }, ct);
            SearchResult own, videos;
            if (offset == 0)
            {
                var firstVideos = index.SearchAsync(request with { Offset = 0, Limit = limit, Matches = TextMatches.VideoRows }, ct);
                (own, videos) = (await ownWords, await firstVideos);
            }
            else
            {
                own = await ownWords;
                // Rows past the own-word moments are video rows; a page full of moments still asks for their count (limit 0).
                videos = await index.SearchAsync(request with
                {
                    Offset = Math.Max(0, offset - own.Total),
                    Limit = Math.Max(0, limit - own.Hits.Count),
                    Matches = TextMatches.VideoRows,
                }, ct);
            }
            var page = own.Hits.Concat(videos.Hits.Take(Math.Max(0, limit - own.Hits.Count)));
            return new SearchResult(own.Mode, own.Total + videos.Total, [.. page]);
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
