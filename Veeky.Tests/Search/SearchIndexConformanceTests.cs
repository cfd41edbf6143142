using Veeky.Identity;
using Veeky.Search;
using Veeky.Tests.Infrastructure;
using static Veeky.Tests.Search.SearchCorpus;

namespace Veeky.Tests.Search;

/// <summary>
/// What every <see cref="ISearchIndex"/> must do, whatever the engine: ranking, highlighting, filters, access control in
/// every leg, hostile query text, atomic replace, update, delete and persistence. An implementation plugs in by
/// deriving and opening its index in <see cref="OpenIndexAsync"/>.
/// </summary>
public abstract class SearchIndexConformanceTests : IAsyncLifetime
{
    /// <summary>Opens an index over this test's own store; a second call opens a new instance over the same store.</summary>
    protected abstract Task<ISearchIndex> OpenIndexAsync();

    protected ISearchIndex Index { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync()
    {
        Index = await OpenIndexAsync();
        await Index.InitializeAsync(Ct);
        await IndexAsync(Index);
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_title_match_ranks_above_a_transcript_only_match()
    {
        var result = await SearchAsync("knife", Admin);

        Assert.Equal(4, result.Total);
        Assert.Equal([KnifeVideo, KnifeVideo, KnifeVideo, BreadVideo], result.Hits.Select(h => h.VideoId));
        Assert.Contains(SearchFields.Title, result.Hits[0].MatchedFields);
        Assert.Equal([SearchFields.Transcript], result.Hits[3].MatchedFields);
    }

    [Fact]
    public async Task A_keyword_match_ranks_above_a_transcript_only_match()
    {
        await Index.ReplaceVideoAsync(Trip with { Keywords = ["loaf"] }, TripSegments, Ct);

        var result = await SearchAsync("loaf", Admin);

        Assert.Equal(TripVideo, result.Hits[0].VideoId);
        Assert.Equal([SearchFields.Keywords], result.Hits[0].MatchedFields);
        Assert.Contains(result.Hits, h => h.VideoId == BreadVideo && h.MatchedFields.Contains(SearchFields.Transcript));
    }

    /// <summary>
    /// A small library where each typical query has one moment a person would pick, for a reason the ranking must
    /// express: field weights (keywords over description over transcript), a short moment saying the word twice over a
    /// long one saying it once, every word of the query over some of them, the rarer word counting more.
    /// </summary>
    [Theory]
    [InlineData("glaze", "glaze-keywords", 0)]
    [InlineData("proofing", "proofing", 0)]
    [InlineData("caramel sauce", "sauce", 1)]
    [InlineData("whisk meringue", "sauce", 2)]
    public async Task Typical_queries_put_the_moment_a_person_would_pick_first(string query, string video, int segment)
    {
        var videos = RelevanceLibrary();
        foreach (var (document, segments) in videos.Values)
        {
            await Index.ReplaceVideoAsync(document, segments, Ct);
        }

        var result = await SearchAsync(query, Admin);

        Assert.Equal((videos[video].Video.VideoId, segment), (result.Hits[0].VideoId, result.Hits[0].SegmentIndex));
        if (query == "glaze")
        {
            // Then the description, then the transcript: the weights' order, each video's best moment.
            Assert.Equal([videos["glaze-keywords"].Video.VideoId, videos["glaze-description"].Video.VideoId, videos["glaze-transcript"].Video.VideoId],
                result.Hits.Select(h => h.VideoId).Distinct());
        }
    }

    internal static Dictionary<string, (VideoDocument Video, IReadOnlyList<SegmentDocument> Segments)> RelevanceLibrary()
    {
        const string Filler = "we talk about the oven and the tray and then the timer rings and we wait a little longer";
        (VideoDocument, IReadOnlyList<SegmentDocument>) Make(int n, string title, string? description, string[] keywords, params string[] transcripts)
        {
            var id = Guid.Parse($"0f0f0f0f-0000-0000-0001-{n:D12}");
            return (new VideoDocument(id, Cooking, title, description, keywords, null, DateTimeOffset.UnixEpoch),
                [.. transcripts.Select((t, i) => Segment(id, i, i * 30, i * 30 + 30, transcript: t))]);
        }
        return new()
        {
            ["glaze-keywords"] = Make(1, "Finishing pastries", null, ["glaze"], Filler),
            ["glaze-description"] = Make(2, "Donut day", "A shiny glaze on every donut.", [], Filler),
            ["glaze-transcript"] = Make(3, "Cinnamon rolls", null, [], "now the glaze goes on while they are warm " + Filler),
            ["proofing"] = Make(4, "Bread basics", null, [],
                "Proofing, proofing: the dough doubles.",
                "after proofing " + Filler + " " + Filler),
            ["sauce"] = Make(5, "Dessert sauces", null, [],
                "Caramel starts with sugar in a dry pan.",
                "Pour the caramel into the cream and stir: the caramel sauce is ready.",
                "Whisk the egg whites into a meringue while the sauce cools, whisk until stiff."),
        };
    }

    [Theory]
    [InlineData(SearchMode.Text)]
    [InlineData(SearchMode.Hybrid)]
    [InlineData(SearchMode.Semantic)]
    public async Task Hits_come_best_first_with_higher_scores_for_better_matches(SearchMode mode)
    {
        var result = await SearchAsync("knife onion", Admin, mode, embed: true);

        Assert.NotEmpty(result.Hits);
        Assert.Equal(result.Hits.Select(h => h.Score).OrderDescending(), result.Hits.Select(h => h.Score));
        Assert.True(result.Hits[0].Score > 0);
    }

    [Fact]
    public async Task Stemming_lets_running_find_runs()
    {
        var result = await SearchAsync("running", Admin);

        var hit = Assert.Single(result.Hits);
        Assert.Equal((BreadVideo, 0), (hit.VideoId, hit.SegmentIndex));
        Assert.Contains("<mark>runs</mark>", hit.Snippet);
    }

    [Fact]
    public async Task The_last_word_matches_as_a_prefix_while_typing()
    {
        var typing = await SearchAsync("stetho", Admin);
        var finished = await SearchAsync("stetho ", Admin);

        Assert.Equal((ClinicVideo, 1), (typing.Hits.Single().VideoId, typing.Hits.Single().SegmentIndex));
        Assert.Empty(finished.Hits);
    }

    [Fact]
    public async Task Snippets_wrap_the_matched_words_in_mark_and_name_the_fields_that_matched()
    {
        var result = await SearchAsync("onion", Admin);

        var spoken = result.Hits.Single(h => h.VideoId == KnifeVideo && h.SegmentIndex == 1);
        Assert.Equal("Hold the <mark>onion</mark> firmly and slice it thin.", spoken.Snippet);
        Assert.Equal([SearchFields.Keywords, SearchFields.Transcript], spoken.MatchedFields);
        var shown = result.Hits.Single(h => h.VideoId == KnifeVideo && h.SegmentIndex == 2);
        Assert.Equal("<mark>ONION</mark> DICE 101", shown.Snippet);
        Assert.Equal([SearchFields.Keywords, SearchFields.Ocr], shown.MatchedFields);
    }

    [Fact]
    public async Task Html_in_indexed_text_comes_back_escaped_around_the_marks()
    {
        var result = await SearchAsync("crust", Admin);

        var hit = result.Hits.Single(h => h.VideoId == BreadVideo && h.SegmentIndex == 1);
        Assert.DoesNotContain("<script>", hit.Snippet);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", hit.Snippet);
        Assert.Contains("<mark>crust</mark> &amp; listen", hit.Snippet);
    }

    [Theory]
    [InlineData("clinic", SearchFields.Title)]
    [InlineData("staff", SearchFields.Description)]
    [InlineData("health", SearchFields.Keywords)]
    [InlineData("emergency", SearchFields.Ocr)]
    [InlineData("stethoscope", SearchFields.Caption)]
    [InlineData("physician", SearchFields.Transcript)]
    public async Task Matched_fields_name_where_the_word_was_found(string word, string field)
    {
        var result = await SearchAsync(word, Admin);

        Assert.NotEmpty(result.Hits);
        Assert.All(result.Hits, h => Assert.Equal([field], h.MatchedFields));
    }

    [Fact]
    public async Task A_video_level_match_returns_each_of_its_moments()
    {
        var result = await SearchAsync("sourdough", Admin);

        Assert.Equal(2, result.Total);
        Assert.Equal([0, 1], result.Hits.Select(h => h.SegmentIndex).Order());
        Assert.All(result.Hits, h => Assert.Equal("Baking sourdough bread", h.VideoTitle));
        var first = result.Hits.Single(h => h.SegmentIndex == 1);
        Assert.Equal((20.0, 35.0, Cooking), (first.Start, first.End, first.CategoryId));
    }

    [Fact]
    public async Task Each_hit_says_whether_its_own_words_matched_or_only_its_videos_title_and_description()
    {
        var result = await SearchAsync("knife", Admin);

        Assert.All(result.Hits.Where(h => h.VideoId == KnifeVideo), h => Assert.True(h.MatchedOnlyThroughItsVideo));
        Assert.False(result.Hits.Single(h => h.VideoId == BreadVideo).MatchedOnlyThroughItsVideo);
    }

    [Theory]
    [InlineData(SearchMode.Text)]
    [InlineData(SearchMode.Hybrid)]
    public async Task Ranked_for_people_a_moment_saying_the_word_comes_before_the_one_row_of_the_video_titled_with_it(SearchMode mode)
    {
        var ranked = await MomentRanking.SearchAsync(Index, Request("knife", Admin, mode, embed: mode != SearchMode.Text), candidateCount: 50, Ct);

        Assert.Equal([(BreadVideo, false), (KnifeVideo, true)],
            ranked.Hits.Where(h => h.MatchedFields.Count > 0).Select(h => (h.VideoId, h.MatchedOnlyThroughItsVideo)));
        Assert.Equal(0, ranked.Hits.Single(h => h.VideoId == KnifeVideo).SegmentIndex);
    }

    [Fact]
    public async Task Ranked_for_people_a_user_never_gets_a_row_for_a_video_in_a_category_they_are_not_in()
    {
        var nurse = await MomentRanking.SearchAsync(Index, Request("knife", Nurse), candidateCount: 50, Ct);
        var cook = await MomentRanking.SearchAsync(Index, Request("knife", Cook), candidateCount: 50, Ct);

        Assert.Equal((0, 0), (nurse.Total, nurse.Hits.Count));
        Assert.Contains(cook.Hits, h => h.VideoId == KnifeVideo && h.MatchedOnlyThroughItsVideo);
    }

    [Theory]
    [InlineData("onion")]
    [InlineData("knife")]
    [InlineData("knife onion")]
    [InlineData("sourdough")]
    [InlineData("sourdough weather")]
    [InlineData("crust loaf")]
    [InlineData("stetho")]
    public async Task Own_words_only_returns_exactly_the_moments_of_the_search_whose_own_text_holds_a_query_word(string query)
    {
        var all = await SearchAsync(query, Admin, limit: 100);
        var own = await Index.SearchAsync(Request(query, Admin, limit: 100) with { Matches = TextMatches.OwnWords }, Ct);

        var expected = all.Hits.Where(h => !h.MatchedOnlyThroughItsVideo).Select(h => (h.VideoId, h.SegmentIndex)).ToList();
        Assert.Equal(expected, own.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
        Assert.Equal(expected.Count, own.Total);
        Assert.All(own.Hits, h => Assert.False(h.MatchedOnlyThroughItsVideo));
    }

    [Fact]
    public async Task Own_words_only_pages_through_the_own_word_moments_and_total_counts_only_them()
    {
        var first = await Index.SearchAsync(Request("onion", Admin, limit: 1) with { Matches = TextMatches.OwnWords }, Ct);
        var second = await Index.SearchAsync(Request("onion", Admin, limit: 1, offset: 1) with { Matches = TextMatches.OwnWords }, Ct);

        // "onion" is a keyword of the knife video (all three moments) and said or shown in two of them.
        Assert.Equal((2, 2), (first.Total, second.Total));
        Assert.Equal([(KnifeVideo, 1), (KnifeVideo, 2)],
            first.Hits.Concat(second.Hits).Select(h => (h.VideoId, h.SegmentIndex)).Order());
    }

    [Fact]
    public async Task Own_words_only_keeps_access_control_inside_the_query()
    {
        var nurse = await Index.SearchAsync(Request("knife", Nurse) with { Matches = TextMatches.OwnWords }, Ct);
        var nobody = await Index.SearchAsync(Request("onion", Nobody) with { Matches = TextMatches.OwnWords }, Ct);
        var cook = await Index.SearchAsync(Request("knife", Cook) with { Matches = TextMatches.OwnWords }, Ct);
        var nurseOwn = await Index.SearchAsync(Request("stethoscope", Nurse) with { Matches = TextMatches.OwnWords }, Ct);
        var cookOfTheClinic = await Index.SearchAsync(Request("stethoscope", Cook) with { Matches = TextMatches.OwnWords }, Ct);

        Assert.Equal((0, 0), (nurse.Total, nurse.Hits.Count));
        Assert.Equal((0, 0), (nobody.Total, nobody.Hits.Count));
        Assert.Equal([(BreadVideo, 0)], cook.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
        Assert.Equal([(ClinicVideo, 1)], nurseOwn.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
        Assert.Equal((0, 0), (cookOfTheClinic.Total, cookOfTheClinic.Hits.Count));
    }

    [Theory]
    [InlineData("onion")]
    [InlineData("knife")]
    [InlineData("knife onion")]
    [InlineData("sourdough")]
    [InlineData("clinic")]
    [InlineData("crust loaf")]
    [InlineData("stetho")]
    public async Task Video_rows_are_each_video_found_only_through_it_once_at_its_earliest_such_moment_with_the_best_score(string query)
    {
        await Index.ReplaceVideoAsync(Trip with { Title = "Knife and sourdough road trip" }, TripSegments, Ct);
        var all = await SearchAsync(query, Admin, limit: 100);

        var rows = await Index.SearchAsync(Request(query, Admin, limit: 100) with { Matches = TextMatches.VideoRows }, Ct);

        var expected = all.Hits.Where(h => h.MatchedOnlyThroughItsVideo).GroupBy(h => h.VideoId)
            .Select(g => (Video: g.Key, Segment: g.Min(h => h.SegmentIndex), Score: g.Max(h => h.Score))).ToList();
        Assert.Equal(expected.Select(e => (e.Video, e.Segment)).Order(), rows.Hits.Select(h => (h.VideoId, h.SegmentIndex)).Order());
        Assert.Equal(expected.Count, rows.Total);
        foreach (var row in rows.Hits)
        {
            Assert.Equal(expected.Single(e => e.Video == row.VideoId).Score, row.Score, 4);
            Assert.True(row.MatchedOnlyThroughItsVideo);
        }
        Assert.Equal(rows.Hits.OrderByDescending(h => h.Score).Select(h => h.VideoId), rows.Hits.Select(h => h.VideoId));
    }

    [Fact]
    public async Task Video_rows_page_by_video_and_the_total_counts_videos_not_moments()
    {
        await Index.ReplaceVideoAsync(Trip with { Title = "Knife road trip" }, [.. TripSegments, Segment(TripVideo, 1, 18, 30, transcript: "Lunch by the sea.")], Ct);

        var first = await Index.SearchAsync(Request("knife", Admin, limit: 1) with { Matches = TextMatches.VideoRows }, Ct);
        var second = await Index.SearchAsync(Request("knife", Admin, limit: 1, offset: 1) with { Matches = TextMatches.VideoRows }, Ct);
        var counted = await Index.SearchAsync(Request("knife", Admin, limit: 0) with { Matches = TextMatches.VideoRows }, Ct);

        // The knife video (three moments) and the trip (two), each matching "knife" by its title alone.
        Assert.Equal((2, 2, 2), (first.Total, second.Total, counted.Total));
        Assert.Equal([(KnifeVideo, 0), (TripVideo, 0)], first.Hits.Concat(second.Hits).Select(h => (h.VideoId, h.SegmentIndex)).Order());
        Assert.Empty(counted.Hits);
    }

    [Fact]
    public async Task Video_rows_keep_access_control_inside_the_query()
    {
        var nurse = await Index.SearchAsync(Request("knife", Nurse) with { Matches = TextMatches.VideoRows }, Ct);
        var nobody = await Index.SearchAsync(Request("clinic", Nobody) with { Matches = TextMatches.VideoRows }, Ct);
        var cook = await Index.SearchAsync(Request("clinic", Cook) with { Matches = TextMatches.VideoRows }, Ct);
        var nurseOwn = await Index.SearchAsync(Request("clinic", Nurse) with { Matches = TextMatches.VideoRows }, Ct);
        var cookInTheClinic = await Index.SearchAsync(Request("clinic", Cook, categoryId: Medicine) with { Matches = TextMatches.VideoRows }, Ct);

        Assert.Equal((0, 0), (nurse.Total, nurse.Hits.Count));
        Assert.Equal((0, 0), (nobody.Total, nobody.Hits.Count));
        Assert.Equal((0, 0), (cook.Total, cook.Hits.Count));
        Assert.Equal([(ClinicVideo, 0)], nurseOwn.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
        Assert.Equal((0, 0), (cookInTheClinic.Total, cookInTheClinic.Hits.Count));
    }

    [Fact]
    public async Task A_search_asking_for_no_hits_still_counts_them()
    {
        var counted = await SearchAsync("knife", Admin, limit: 0);

        Assert.Equal(4, counted.Total);
        Assert.Empty(counted.Hits);
    }

    [Fact]
    public async Task Video_rows_are_refused_outside_a_text_search()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Index.SearchAsync(Request("knife", Admin, SearchMode.Hybrid, embed: true) with { Matches = TextMatches.VideoRows }, Ct));
    }

    [Fact]
    public async Task Searches_started_together_right_after_a_write_both_see_it()
    {
        // MomentRanking runs two searches side by side; neither may take a searcher from before the write.
        for (var round = 0; round < 20; round++)
        {
            var word = $"zephyr{round}x";
            await Index.ReplaceVideoAsync(Trip with { Title = $"Road trip {word}" }, TripSegments, Ct);

            var both = await Task.WhenAll(
                Index.SearchAsync(Request(word, Admin), Ct), Index.SearchAsync(Request(word, Admin, limit: 200), Ct));

            Assert.All(both, r => Assert.Equal(1, r.Total));
        }
    }

    [Fact]
    public async Task Filters_by_category_and_by_video()
    {
        var byCategory = await SearchAsync("the", Admin, categoryId: Medicine);
        var byVideo = await SearchAsync("onion", Admin, videoId: KnifeVideo);
        var elsewhere = await SearchAsync("onion", Admin, videoId: BreadVideo);

        Assert.NotEmpty(byCategory.Hits);
        Assert.All(byCategory.Hits, h => Assert.Equal(Medicine, h.CategoryId));
        Assert.Equal(3, byVideo.Total);
        Assert.Equal(0, elsewhere.Total);
    }

    [Fact]
    public async Task A_date_range_keeps_the_moments_of_videos_created_within_it_bounds_included()
    {
        await DateCorpusAsync();

        var tenth = await SearchAsync("the", Admin, from: Utc(2026, 3, 10), to: Utc(2026, 3, 11).AddMilliseconds(-1));
        var fromEleventh = await SearchAsync("the", Admin, from: Utc(2026, 3, 11), limit: 20);
        var untilEleventh = await SearchAsync("the", Admin, to: Utc(2026, 3, 12).AddMilliseconds(-1), limit: 20);
        var exactInstant = await SearchAsync("the", Admin, from: Utc(2026, 3, 11), to: Utc(2026, 3, 11));
        var future = await SearchAsync("the", Admin, from: Utc(2030, 1, 1));

        Assert.Equal(2, tenth.Total);
        Assert.All(tenth.Hits, h => Assert.Equal(KnifeVideo, h.VideoId));
        Assert.Equal([BreadVideo, ClinicVideo], fromEleventh.Hits.Select(h => h.VideoId).Distinct().Order());
        Assert.Equal([KnifeVideo, BreadVideo, ClinicVideo, TripVideo], untilEleventh.Hits.Select(h => h.VideoId).Distinct().Order());
        Assert.Equal([BreadVideo], exactInstant.Hits.Select(h => h.VideoId).Distinct());
        Assert.Equal(0, future.Total);
        Assert.Empty(future.Hits);
    }

    [Theory]
    [InlineData(SearchMode.Semantic)]
    [InlineData(SearchMode.Hybrid)]
    public async Task A_date_range_is_applied_in_the_vector_legs_too(SearchMode mode)
    {
        await DateCorpusAsync();

        var before = await SearchAsync("doctor", Nurse, mode, embed: true, to: Utc(2026, 3, 11));
        var within = await SearchAsync("doctor", Nurse, mode, embed: true, from: Utc(2026, 3, 11), to: Utc(2026, 3, 12));

        Assert.Empty(before.Hits);
        Assert.Equal((ClinicVideo, 0), (within.Hits[0].VideoId, within.Hits[0].SegmentIndex));
    }

    [Fact]
    public async Task A_date_range_never_widens_what_a_user_may_see()
    {
        await DateCorpusAsync();

        var cook = await SearchAsync("clinic physician emergency the", Cook, from: Utc(2026, 3, 11), to: Utc(2026, 3, 12), limit: 20);

        Assert.Equal([BreadVideo], cook.Hits.Select(h => h.VideoId).Distinct());
        Assert.Equal(2, cook.Total);
    }

    /// <summary>
    /// Knife late on 10 March, Bread at midnight starting 11 March, Clinic at 01:00 on 12 March in +02:00 (23:00 UTC on the
    /// 11th, so offsets must be compared as instants); Trip stays at 1970.
    /// </summary>
    protected async Task DateCorpusAsync()
    {
        await Index.ReplaceVideoAsync(Knife with { CreatedAt = new DateTimeOffset(2026, 3, 10, 23, 30, 0, TimeSpan.Zero) }, KnifeSegments, Ct);
        await Index.ReplaceVideoAsync(Bread with { CreatedAt = Utc(2026, 3, 11) }, BreadSegments, Ct);
        await Index.ReplaceVideoAsync(Clinic with { CreatedAt = new DateTimeOffset(2026, 3, 12, 1, 0, 0, TimeSpan.FromHours(2)) }, ClinicSegments, Ct);
    }

    protected static DateTimeOffset Utc(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(SearchMode.Text)]
    [InlineData(SearchMode.Hybrid)]
    [InlineData(SearchMode.Semantic)]
    public async Task A_user_finds_nothing_in_categories_they_are_not_in(SearchMode mode)
    {
        var cook = await SearchAsync("clinic nurse physician emergency", Cook, mode, embed: true);
        var nobody = await SearchAsync("knife onion physician", Nobody, mode, embed: true);
        var askedForHidden = await SearchAsync("physician", Cook, mode, categoryId: Medicine, embed: true);

        Assert.DoesNotContain(cook.Hits, h => h.CategoryId != Cooking);
        Assert.Empty(nobody.Hits);
        Assert.Equal(0, nobody.Total);
        Assert.Empty(askedForHidden.Hits);
    }

    [Fact]
    public async Task A_user_is_not_even_told_how_many_hidden_moments_match()
    {
        var hidden = await SearchAsync("clinic", Cook);
        var visible = await SearchAsync("the", Cook, limit: 2);

        Assert.Equal(0, hidden.Total);
        Assert.Equal(4, visible.Total);
        Assert.Equal(2, visible.Hits.Count);
        Assert.All(visible.Hits, h => Assert.Equal(Cooking, h.CategoryId));
    }

    [Theory]
    [InlineData(SearchMode.Semantic)]
    [InlineData(SearchMode.Hybrid)]
    public async Task A_moment_matching_only_by_meaning_is_found_for_a_permitted_user_and_not_for_others(SearchMode mode)
    {
        var words = await SearchAsync("doctor", Nurse, SearchMode.Text);
        var nurse = await SearchAsync("doctor", Nurse, mode, embed: true);
        var cook = await SearchAsync("doctor", Cook, mode, embed: true);

        Assert.Empty(words.Hits);
        Assert.Equal(mode, nurse.Mode);
        var hit = nurse.Hits[0];
        Assert.Equal((ClinicVideo, 0), (hit.VideoId, hit.SegmentIndex));
        Assert.Empty(hit.MatchedFields);
        Assert.Equal("The physician examined the patient carefully.", hit.Snippet);
        Assert.DoesNotContain(cook.Hits, h => h.VideoId == ClinicVideo);
    }

    [Theory]
    [InlineData(SearchMode.Semantic)]
    [InlineData(SearchMode.Hybrid)]
    public async Task A_permitted_moment_is_found_by_meaning_even_when_many_hidden_moments_are_closer(SearchMode mode)
    {
        // 120 moments the nurse may not see, each closer to the query than the clinic's: a vector leg that took the top
        // candidates first and filtered them afterwards would have nothing left to show.
        var decoys = Enumerable.Range(0, 120)
            .Select(i => Segment(KnifeVideo, i, i, i + 1, transcript: "doctor doctor doctor"))
            .ToList();
        await Index.ReplaceVideoAsync(Knife, decoys, Ct);

        var nurse = await SearchAsync("doctor", Nurse, mode, embed: true);

        Assert.Equal((ClinicVideo, 0), (nurse.Hits[0].VideoId, nurse.Hits[0].SegmentIndex));
        Assert.All(nurse.Hits, h => Assert.Equal(Medicine, h.CategoryId));
    }

    [Fact]
    public async Task Hybrid_ranks_a_moment_matching_in_words_and_meaning_first()
    {
        var result = await SearchAsync("onion slice", Admin, SearchMode.Hybrid, embed: true);

        Assert.Equal(SearchMode.Hybrid, result.Mode);
        Assert.Equal((KnifeVideo, 1), (result.Hits[0].VideoId, result.Hits[0].SegmentIndex));
        Assert.Contains("<mark>onion</mark>", result.Hits[0].Snippet);
    }

    [Fact]
    public async Task Hybrid_without_a_query_embedding_is_text_search_and_says_so()
    {
        var result = await SearchAsync("onion", Admin, SearchMode.Hybrid);

        Assert.Equal(SearchMode.Text, result.Mode);
        Assert.Equal(3, result.Total);
    }

    [Fact]
    public async Task Hybrid_with_only_an_image_query_embedding_and_no_keyframe_vectors_is_text_search()
    {
        var request = Request("onion", Admin, SearchMode.Hybrid) with { QueryImageEmbedding = TestHashingEmbeddingGenerator.Embed("onion") };

        var result = await Index.SearchAsync(request, Ct);

        Assert.Equal(SearchMode.Text, result.Mode);
        Assert.Equal(3, result.Total);
    }

    [Fact]
    public async Task A_keyframe_is_found_by_its_image_embedding_for_those_who_may_see_it()
    {
        var shown = Segment(TripVideo, 0, 0, 18, transcript: "We drove for hours.")
            with { ImageEmbedding = TestHashingEmbeddingGenerator.Embed("lighthouse cliff") };
        await Index.ReplaceVideoAsync(Trip, [shown], Ct);
        SearchRequest Looking(AccessScope scope) => Request("lighthouse", scope, SearchMode.Semantic)
            with { QueryImageEmbedding = TestHashingEmbeddingGenerator.Embed("lighthouse") };

        var admin = await Index.SearchAsync(Looking(Admin), Ct);
        var cook = await Index.SearchAsync(Looking(Cook), Ct);

        Assert.Equal((TripVideo, 0), (admin.Hits[0].VideoId, admin.Hits[0].SegmentIndex));
        Assert.DoesNotContain(cook.Hits, h => h.VideoId == TripVideo);
    }

    [Fact]
    public async Task A_picture_with_no_words_finds_the_keyframe_like_it_for_those_who_may_see_it()
    {
        var shown = Segment(TripVideo, 0, 0, 18, transcript: "We drove for hours.")
            with { ImageEmbedding = TestHashingEmbeddingGenerator.Embed("lighthouse cliff") };
        await Index.ReplaceVideoAsync(Trip, [shown], Ct);
        // Search by picture or by moment: vectors only, the query text empty.
        SearchRequest Picture(AccessScope scope) => Request("", scope, SearchMode.Semantic)
            with { QueryImageEmbedding = TestHashingEmbeddingGenerator.Embed("lighthouse cliff") };

        var admin = await Index.SearchAsync(Picture(Admin), Ct);
        var cook = await Index.SearchAsync(Picture(Cook), Ct);

        Assert.Equal(SearchMode.Semantic, admin.Mode);
        Assert.Equal((TripVideo, 0), (admin.Hits[0].VideoId, admin.Hits[0].SegmentIndex));
        Assert.Contains("drove", admin.Hits[0].Snippet);
        Assert.DoesNotContain(cook.Hits, h => h.VideoId == TripVideo);
    }

    [Fact]
    public async Task Semantic_without_a_query_embedding_answers_an_empty_semantic_result()
    {
        var result = await SearchAsync("doctor", Admin, SearchMode.Semantic);

        Assert.Equal(SearchMode.Semantic, result.Mode);
        Assert.Empty(result.Hits);
    }

    public static TheoryData<string> HostileQueries() =>
    [
        "\"", "\"unbalanced", "say \"hello", "NEAR(knife onion", "NEAR(knife, 2)", "knife*", "*", "-knife", "knife -onion",
        "(((", ")))", "((knife) OR", "AND OR NOT", "NOT", "title:knife", "{title keywords}: knife", "^knife", "knife + onion",
        "🔪🧅", "knife 🔪", "سكين البصل", "ナイフ", "naïve café", "\u0001\u0002", "'; DROP TABLE search_text; --",
        "", "   ", "\t\n",
        string.Concat(Enumerable.Repeat("knife \"onion\" NEAR( -* ((( ", 400)),
        new string('x', 10_000),
    ];

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Any_query_text_is_answered_without_failing(string query)
    {
        foreach (var mode in new[] { SearchMode.Text, SearchMode.Hybrid, SearchMode.Semantic })
        {
            var result = await SearchAsync(query, Admin, mode, embed: true);

            Assert.True(result.Total >= result.Hits.Count);
        }
        var index = await SearchAsync("onion", Admin);
        Assert.Equal(3, index.Total);
    }

    [Fact]
    public async Task A_blank_query_finds_nothing()
    {
        var result = await SearchAsync("  ", Admin);

        Assert.Equal(0, result.Total);
        Assert.Empty(result.Hits);
    }

    [Fact]
    public async Task Operators_in_the_query_are_searched_as_words()
    {
        var withOperators = await SearchAsync("onion -thin NEAR(", Admin);
        var plain = await SearchAsync("onion thin near", Admin);

        Assert.Equal(plain.Hits.Select(h => (h.VideoId, h.SegmentIndex)), withOperators.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
        Assert.Contains(withOperators.Hits, h => h.SegmentIndex == 1 && h.VideoId == KnifeVideo);
    }

    [Fact]
    public async Task Words_not_all_found_together_fall_back_to_any_word()
    {
        var result = await SearchAsync("onion submarine", Admin);

        Assert.Equal(3, result.Total);
    }

    [Fact]
    public async Task Limit_and_offset_page_through_the_hits_and_total_counts_them_all()
    {
        var all = await SearchAsync("the", Admin, limit: 100);
        var page = await SearchAsync("the", Admin, limit: 2, offset: 2);

        Assert.True(all.Total > 4);
        Assert.Equal(all.Total, page.Total);
        Assert.Equal(all.Hits.Skip(2).Take(2).Select(h => (h.VideoId, h.SegmentIndex)), page.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
    }

    [Fact]
    public async Task Replacing_a_video_swaps_its_old_moments_for_the_new_ones()
    {
        await Index.ReplaceVideoAsync(Knife, [Segment(KnifeVideo, 0, 0, 9, transcript: "Sharpen the blade on a whetstone.")], Ct);

        Assert.Equal(0, (await SearchAsync("boards", Admin)).Total);
        Assert.Equal(0, (await SearchAsync("dice", Admin)).Total);
        var sharpened = await SearchAsync("whetstone", Admin);
        Assert.Equal((KnifeVideo, 0, 9.0), (sharpened.Hits.Single().VideoId, sharpened.Hits.Single().SegmentIndex, sharpened.Hits.Single().End));
        Assert.Single((await SearchAsync("knife", Admin, videoId: KnifeVideo)).Hits);
        var byMeaning = await SearchAsync("cutting boards welcome kitchen", Admin, SearchMode.Semantic, videoId: KnifeVideo, embed: true);
        Assert.Equal([0], byMeaning.Hits.Select(h => h.SegmentIndex));
    }

    [Fact]
    public async Task Searches_during_replaces_see_one_generation_never_a_mix()
    {
        string[] generations = ["alpha", "omega"];
        IReadOnlyList<SegmentDocument> Generation(string word) =>
            [.. Enumerable.Range(0, 6).Select(i => Segment(TripVideo, i, i * 10, i * 10 + 10, transcript: $"{word} generation part {i}"))];

        var writer = Task.Run(async () =>
        {
            for (var round = 0; round < 30; round++)
            {
                await Index.ReplaceVideoAsync(Trip, Generation(generations[round % 2]), Ct);
            }
        }, Ct);
        void AssertOneGeneration(SearchResult result)
        {
            Assert.Equal(6, result.Hits.Count);
            Assert.Single(result.Hits.Select(h => h.Snippet.Split(' ')[0]).Distinct());
        }

        while (!writer.IsCompleted)
        {
            var result = await SearchAsync("generation", Admin, videoId: TripVideo, limit: 20);
            if (result.Hits.Count > 0)
            {
                AssertOneGeneration(result);
            }
        }
        await writer;
        AssertOneGeneration(await SearchAsync("generation", Admin, videoId: TripVideo, limit: 20));
    }

    [Fact]
    public async Task Updating_a_video_changes_what_its_moments_are_found_by_and_who_sees_them()
    {
        await Index.UpdateVideoAsync(Bread with { Title = "Baking rye bread", CategoryId = Travel }, Ct);

        Assert.Equal(0, (await SearchAsync("sourdough", Admin)).Total);
        var rye = await SearchAsync("rye", Admin);
        Assert.Equal(2, rye.Total);
        Assert.All(rye.Hits, h => Assert.Equal(("Baking rye bread", Travel), (h.VideoTitle, h.CategoryId)));
        Assert.DoesNotContain((await SearchAsync("crust", Cook)).Hits, h => h.VideoId == BreadVideo);
        Assert.DoesNotContain((await SearchAsync("fermentation", Cook, SearchMode.Semantic, embed: true)).Hits, h => h.VideoId == BreadVideo);
    }

    [Fact]
    public async Task Deleting_a_video_removes_its_moments_from_words_and_meaning()
    {
        await Index.DeleteVideoAsync(ClinicVideo, Ct);

        Assert.Equal(0, (await SearchAsync("clinic", Admin)).Total);
        Assert.DoesNotContain((await SearchAsync("doctor", Admin, SearchMode.Semantic, embed: true)).Hits, h => h.VideoId == ClinicVideo);
        Assert.Equal(3, (await SearchAsync("onion", Admin)).Total);
    }

    [Fact]
    public async Task A_reopened_index_still_finds_words_and_meanings()
    {
        var reopened = await OpenIndexAsync();
        await reopened.InitializeAsync(Ct);

        var words = await reopened.SearchAsync(Request("onion", Admin), Ct);
        var meaning = await reopened.SearchAsync(
            Request("doctor", Nurse, SearchMode.Semantic, embed: true), Ct);

        Assert.Equal(3, words.Total);
        Assert.Equal((ClinicVideo, 0), (meaning.Hits[0].VideoId, meaning.Hits[0].SegmentIndex));
    }

    [Fact]
    public async Task The_index_answers_ping()
    {
        Assert.True(await Index.PingAsync(Ct));
    }

    protected Task<SearchResult> SearchAsync(string query, AccessScope scope, SearchMode mode = SearchMode.Text,
        Guid? categoryId = null, Guid? videoId = null, bool embed = false, int limit = 10, int offset = 0,
        DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Index.SearchAsync(Request(query, scope, mode, categoryId, videoId, embed, limit, offset) with { CreatedFrom = from, CreatedTo = to }, Ct);

    protected static SearchRequest Request(string query, AccessScope scope, SearchMode mode = SearchMode.Text,
        Guid? categoryId = null, Guid? videoId = null, bool embed = false, int limit = 10, int offset = 0) =>
        new(query, scope, mode, categoryId, videoId, limit, offset,
            QueryEmbedding: embed ? TestHashingEmbeddingGenerator.Embed(query) : null);
}
