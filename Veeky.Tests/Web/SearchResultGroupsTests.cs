using Veeky.Contracts;
using Veeky.Web.Api;
using Veeky.Web.Search;

namespace Veeky.Tests.Web;

/// <summary>How the search page groups a page of moments by video.</summary>
public sealed class SearchResultGroupsTests
{
    private static readonly Guid Keynote = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Standup = Guid.Parse("00000000-0000-0000-0000-0000000000b2");
    private static readonly Guid Retro = Guid.Parse("00000000-0000-0000-0000-0000000000c3");

    private static SearchHit Hit(Guid video, int segment, double score, string title = "") =>
        new(video, title.Length > 0 ? title : video.ToString()[^2..], Guid.Empty, segment, segment * 10, segment * 10 + 10, score,
            $"moment {segment}", ["transcript"], null);

    [Fact]
    public void Groups_come_in_order_of_their_best_moment_and_hold_their_moments_best_first()
    {
        var groups = SearchResultGroups.Group(
        [
            Hit(Standup, 3, 0.9), Hit(Keynote, 1, 0.8), Hit(Standup, 0, 0.95), Hit(Retro, 2, 0.7), Hit(Keynote, 5, 0.85),
        ]);

        Assert.Equal([Standup, Keynote, Retro], groups.Select(g => g.VideoId));
        Assert.Equal([0, 3], groups[0].Moments.Select(m => m.SegmentIndex));
        Assert.Equal([5, 1], groups[1].Moments.Select(m => m.SegmentIndex));
        Assert.Equal([0.95, 0.85, 0.7], groups.Select(g => g.BestScore));
    }

    [Fact]
    public void Equal_scores_keep_the_order_the_api_gave()
    {
        var groups = SearchResultGroups.Group([Hit(Retro, 4, 1), Hit(Keynote, 2, 1), Hit(Retro, 1, 1), Hit(Keynote, 0, 1)]);

        Assert.Equal([Retro, Keynote], groups.Select(g => g.VideoId));
        Assert.Equal([4, 1], groups[0].Moments.Select(m => m.SegmentIndex));
        Assert.Equal([2, 0], groups[1].Moments.Select(m => m.SegmentIndex));
    }

    [Fact]
    public void Each_group_carries_its_video_title_and_every_moment_stays_once()
    {
        var hits = new[] { Hit(Keynote, 0, 2, "Keynote 2026"), Hit(Standup, 1, 1, "Monday standup"), Hit(Keynote, 2, 3, "Keynote 2026") };

        var groups = SearchResultGroups.Group(hits);

        Assert.Equal(["Keynote 2026", "Monday standup"], groups.Select(g => g.VideoTitle));
        Assert.Equal(hits.Length, groups.Sum(g => g.Moments.Count));
        Assert.Empty(SearchResultGroups.Group([]));
    }

    [Fact]
    public void A_video_matching_by_its_title_keeps_one_row_after_the_groups_with_moments_even_with_a_higher_score()
    {
        var row = Hit(Retro, 0, 9.0) with { MatchedIn = SearchMatch.Video, MatchedFields = ["title"] };
        var ownRow = Hit(Keynote, 0, 8.0) with { MatchedIn = SearchMatch.Video, MatchedFields = ["keywords"] };

        var groups = SearchResultGroups.Group([Hit(Standup, 1, 0.5), Hit(Keynote, 3, 0.4), row, ownRow]);

        Assert.Equal([Standup, Keynote, Retro], groups.Select(g => g.VideoId));
        Assert.Equal(ownRow, groups[1].VideoRow);
        Assert.Equal([3], groups[1].Moments.Select(m => m.SegmentIndex));
        Assert.Equal(row, groups[2].VideoRow);
        Assert.Empty(groups[2].Moments);
        Assert.Null(groups[0].VideoRow);
    }

    [Fact]
    public void The_search_address_holds_the_query_and_every_filter_that_is_set()
    {
        var state = new SearchState("q3 revenue & costs", Keynote, Standup, "2026-03-01", "2026-03-31", 1);

        Assert.Equal($"/search?q=q3%20revenue%20%26%20costs&categoryId={Keynote}&videoId={Standup}&from=2026-03-01&to=2026-03-31&page=3",
            state.Href(3));
        Assert.Equal("/search?q=x", new SearchState("x", From: " ").Href(1));
        Assert.Equal(new SearchFilters(Keynote, Standup, "2026-03-01", "2026-03-31"), state.Filters);
        Assert.Equal("2026-03-01", SearchState.DateInputValue("2026-03-01"));
        Assert.Null(SearchState.DateInputValue("yesterday"));
    }
}
