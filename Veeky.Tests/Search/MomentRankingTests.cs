using Veeky.Identity;
using Veeky.Search;

namespace Veeky.Tests.Search;

/// <summary>How a search's hits are ordered for people: own words first, a video matching by its fields once.</summary>
public sealed class MomentRankingTests
{
    private static readonly Guid Titled = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Spoken = Guid.Parse("00000000-0000-0000-0000-0000000000a2");
    private static readonly Guid Both = Guid.Parse("00000000-0000-0000-0000-0000000000a3");

    private static SearchHit Hit(Guid video, int segment, double score, params string[] fields) =>
        new(video, $"Video {video.ToString()[^2..]}", Guid.Empty, segment, segment * 10, segment * 10 + 10, score, "snippet", fields);

    [Fact]
    public void Moments_saying_the_words_come_first_in_their_order_then_one_row_per_video_matching_only_by_its_fields()
    {
        var ranked = MomentRanking.Rank([
            Hit(Titled, 2, 9.0, SearchFields.Title),
            Hit(Titled, 0, 8.5, SearchFields.Title),
            Hit(Both, 1, 8.0, SearchFields.Keywords, SearchFields.Transcript),
            Hit(Both, 0, 7.0, SearchFields.Keywords),
            Hit(Titled, 1, 6.0, SearchFields.Title, SearchFields.Description),
            Hit(Spoken, 3, 2.0, SearchFields.Ocr),
        ]);

        Assert.Equal([(Both, 1), (Spoken, 3), (Titled, 0), (Both, 0)], ranked.Select(h => (h.VideoId, h.SegmentIndex)));
        var row = ranked[2];
        // The video's row names its earliest moment found, with the best score and every field that matched.
        Assert.Equal((0.0, 9.0), (row.Start, row.Score));
        Assert.Equal([SearchFields.Title, SearchFields.Description], row.MatchedFields);
        Assert.True(row.MatchedOnlyThroughItsVideo);
        Assert.False(ranked[0].MatchedOnlyThroughItsVideo);
    }

    [Fact]
    public void A_moment_found_by_meaning_alone_is_a_moment_not_a_video_row()
    {
        var meaning = Hit(Spoken, 4, 0.7);

        Assert.False(meaning.MatchedOnlyThroughItsVideo);
        Assert.Equal([meaning], MomentRanking.Rank([meaning]));
    }

    [Fact]
    public async Task Pages_of_rows_neither_repeat_nor_skip_and_the_total_counts_rows()
    {
        var index = new AnsweringIndex([
            Hit(Titled, 0, 9.0, SearchFields.Title), Hit(Titled, 1, 9.0, SearchFields.Title), Hit(Titled, 2, 9.0, SearchFields.Title),
            Hit(Spoken, 0, 3.0, SearchFields.Transcript), Hit(Spoken, 1, 2.0, SearchFields.Transcript), Hit(Both, 0, 1.0, SearchFields.Caption),
        ]);
        var request = new SearchRequest("word", AccessScope.System, SearchMode.Text, Limit: 2);

        var first = await MomentRanking.SearchAsync(index, request, candidateCount: 50);
        var second = await MomentRanking.SearchAsync(index, request with { Offset = 2 }, candidateCount: 50);

        Assert.Equal((4, 4), (first.Total, second.Total));
        Assert.Equal([(Spoken, 0), (Spoken, 1), (Both, 0), (Titled, 0)],
            first.Hits.Concat(second.Hits).Select(h => (h.VideoId, h.SegmentIndex)));
        // Each page is the engine's page of own-word moments, then of its video rows from where those end: the first page
        // asks both at once; the second asks one video row (where the three moments end) once its one moment is counted.
        Assert.Equal([(TextMatches.OwnWords, 0, 2), (TextMatches.OwnWords, 2, 2), (TextMatches.VideoRows, 0, 1), (TextMatches.VideoRows, 0, 2)],
            index.Requests.Select(r => (r.Matches, r.Offset, r.Limit)).Order());
    }

    [Fact]
    public async Task A_text_search_puts_the_moment_saying_the_word_first_however_many_moments_match_only_by_their_titles()
    {
        // 250 moments of five titled videos rank above the one moment saying the word: more than the window regrouped.
        var index = new AnsweringIndex([
            .. Enumerable.Range(0, 250).Select(i => Hit(Guid.CreateVersion7(), i, 9.0 - i * 0.001, SearchFields.Title)),
            Hit(Spoken, 7, 1.0, SearchFields.Transcript),
        ]);

        var page = await MomentRanking.SearchAsync(index, new SearchRequest("word", AccessScope.System, SearchMode.Text, Limit: 10), candidateCount: 50);

        Assert.Equal((Spoken, 7), (page.Hits[0].VideoId, page.Hits[0].SegmentIndex));
        Assert.All(page.Hits.Skip(1), h => Assert.True(h.MatchedOnlyThroughItsVideo));
    }

    [Fact]
    public async Task A_page_full_of_own_word_moments_still_counts_the_video_rows_after_them()
    {
        var index = new AnsweringIndex([
            .. Enumerable.Range(0, 30).Select(i => Hit(Guid.CreateVersion7(), 0, 9.0, SearchFields.Title)),
            .. Enumerable.Range(0, 20).Select(i => Hit(Spoken, i, 5.0 - i * 0.01, SearchFields.Transcript)),
        ]);

        var second = await MomentRanking.SearchAsync(index, new SearchRequest("word", AccessScope.System, SearchMode.Text, Limit: 5, Offset: 5), candidateCount: 50);

        Assert.Equal(50, second.Total);
        Assert.Equal([5, 6, 7, 8, 9], second.Hits.Select(h => h.SegmentIndex));
        Assert.Contains(index.Requests, r => (r.Matches, r.Limit) == (TextMatches.VideoRows, 0));
    }

    [Fact]
    public async Task Walking_every_page_of_more_than_200_own_word_moments_returns_each_once_then_the_video_rows()
    {
        var index = new AnsweringIndex([
            .. Enumerable.Range(0, 5).Select(i => Hit(Titled, i, 9.0, SearchFields.Title)),
            .. Enumerable.Range(0, 450).Select(i => Hit(Spoken, i, 5.0 - i * 0.001, SearchFields.Transcript)),
        ]);
        var request = new SearchRequest("word", AccessScope.System, SearchMode.Text, Limit: 20);

        var rows = new List<SearchHit>();
        var totals = new HashSet<int>();
        for (var offset = 0; offset < 500; offset += 20)
        {
            var page = await MomentRanking.SearchAsync(index, request with { Offset = offset }, candidateCount: 50);
            rows.AddRange(page.Hits);
            totals.Add(page.Total);
        }

        Assert.Equal([451], totals);
        Assert.Equal(Enumerable.Range(0, 450), rows.Take(450).Select(h => h.SegmentIndex));
        Assert.All(rows.Take(450), h => Assert.Equal(Spoken, h.VideoId));
        Assert.Equal((Titled, true), (rows[450].VideoId, rows[450].MatchedOnlyThroughItsVideo));
        Assert.Equal(451, rows.Count);
    }

    /// <summary>
    /// An index answering its hits in the order given, as many as asked for: own-word ones only when asked, or one row per
    /// video matching only through it (its earliest moment, best score), counted by video, as the engines collapse them.
    /// </summary>
    private sealed class AnsweringIndex(IReadOnlyList<SearchHit> hits) : ISearchIndex
    {
        public List<SearchRequest> Requests { get; } = [];

        public Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken ct = default)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }
            IReadOnlyList<SearchHit> found = request.Matches switch
            {
                TextMatches.OwnWords => [.. hits.Where(h => !h.MatchedOnlyThroughItsVideo)],
                TextMatches.VideoRows => [.. hits.Where(h => h.MatchedOnlyThroughItsVideo).GroupBy(h => h.VideoId)
                    .Select(g => g.MinBy(h => h.Start)! with { Score = g.Max(h => h.Score) }).OrderByDescending(h => h.Score)],
                _ => hits,
            };
            return Task.FromResult(new SearchResult(request.Mode, found.Count, [.. found.Skip(request.Offset).Take(request.Limit)]));
        }

        public Task InitializeAsync(CancellationToken ct = default) => Task.CompletedTask;
        public Task ReplaceVideoAsync(VideoDocument video, IReadOnlyList<SegmentDocument> segments, CancellationToken ct = default) => Task.CompletedTask;
        public Task UpdateVideoAsync(VideoDocument video, CancellationToken ct = default) => Task.CompletedTask;
        public Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default) => Task.CompletedTask;
        public Task<bool> PingAsync(CancellationToken ct = default) => Task.FromResult(true);
    }
}
