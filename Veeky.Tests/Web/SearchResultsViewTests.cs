using Bunit;
using Veeky.Contracts;
using Veeky.Tests.Infrastructure;
using Veeky.Web.Api;
using Veeky.Web.Components.Shared;
using Veeky.Web.Search;

namespace Veeky.Tests.Web;

/// <summary>The search results component rendered with bunit: groups, order, safe markup.</summary>
public sealed class SearchResultsViewTests : IDisposable
{
    private readonly BunitContext _context = new();

    public void Dispose() => _context.Dispose();

    private static readonly Guid Demo = Guid.Parse("00000000-0000-0000-0000-00000000d001");
    private static readonly Guid Plain = Guid.Parse("00000000-0000-0000-0000-00000000d002");
    private const string HostileTitle = "<script>window.__xss=1</script> Demo <img src=x onerror=alert(1)>";

    private static Dictionary<string, object?> Parameters(SearchResults? results, SearchState? state = null, string? error = null) => new()
    {
        [nameof(SearchResultsView.Results)] = results,
        [nameof(SearchResultsView.State)] = state ?? new SearchState("demo"),
        [nameof(SearchResultsView.PageSize)] = 20,
        [nameof(SearchResultsView.Error)] = error,
    };

    private static Task<string> RenderAsync(SearchResults? results, SearchState? state = null, string? error = null) =>
        WebComponentRenderer.RenderAsync<SearchResultsView>(Parameters(results, state, error));

    private static SearchResults Results(int total, params SearchHit[] hits) => new("demo", "text", total, 1, hits);

    [Fact]
    public void Moments_are_grouped_by_video_best_group_first_each_with_keyframe_time_and_link()
    {
        var view = WebComponentRenderer.Render<SearchResultsView>(_context, Parameters(Results(3,
            new SearchHit(Plain, "Plain video", Guid.Empty, 4, 40, 52.5, 0.9, "plain <mark>demo</mark>", ["transcript"], "/k/p4.jpg"),
            new SearchHit(Demo, "Demo day", Guid.Empty, 7, 70, 75, 0.6, "second <mark>demo</mark>", ["ocr"], "/k/d7.jpg"),
            new SearchHit(Demo, "Demo day", Guid.Empty, 2, 20, 25, 0.95, "best <mark>demo</mark>", ["title"], "/k/d2.jpg"))));
        var html = view.Markup;

        Assert.Equal(["Demo day", "Plain video"], view.FindAll("h2.result-group__title a").Select(a => a.TextContent));
        Assert.Equal([$"/videos/{Demo}?t=20", $"/videos/{Demo}?t=70", $"/videos/{Plain}?t=40"],
            view.FindAll("a.hit[data-hit]").Select(a => a.GetAttribute("href")));
        Assert.Contains("src=\"/k/d2.jpg\"", html);
        Assert.Contains("00:40", html);
        Assert.Contains("00:52", html);
        Assert.Contains("2 moments", html);
        Assert.Contains("on-screen text", html);
        Assert.Contains("aria-labelledby=\"result-group-1\"", html);
    }

    [Fact]
    public void A_video_matching_only_by_its_title_is_one_whole_video_link_opening_at_its_start_set_apart_from_moments()
    {
        var view = WebComponentRenderer.Render<SearchResultsView>(_context, Parameters(Results(2,
            new SearchHit(Plain, "Plain video", Guid.Empty, 4, 40, 52.5, 0.9, "plain <mark>demo</mark>", ["transcript"], "/k/p4.jpg"),
            new SearchHit(Demo, "Demo day", Guid.Empty, 0, 0, 5, 3.5, "<mark>Demo</mark> day", ["title", "keywords"], "/k/d0.jpg", "/t/d0.jpg",
                SearchMatch.Video))));

        var row = Assert.Single(view.FindAll("a.hit--video[data-hit]"));
        Assert.Equal($"/videos/{Demo}", row.GetAttribute("href"));
        Assert.Equal("Demo day, Whole video Demo day Matches in its title and keywords", Normalise(row.TextContent));
        Assert.Contains("src=\"/t/d0.jpg\"", row.OuterHtml);
        Assert.Equal(["Plain video", "Demo day"], view.FindAll("h2.result-group__title a").Select(a => a.TextContent));
        Assert.Contains("whole video", view.FindAll(".result-group__count").Select(c => c.TextContent));
        Assert.Contains("2 results for", view.Markup);
    }

    private static string Normalise(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    [Fact]
    public async Task Each_moment_offers_more_like_this_where_the_search_compared_vectors_and_none_in_text_search()
    {
        SearchHit[] hits = [new(Demo, "Demo day", Guid.Empty, 7, 70, 75, 0.6, "second <mark>demo</mark>", ["ocr"], "/k/d7.jpg")];

        var hybrid = await RenderAsync(new SearchResults("demo", "hybrid", 1, 1, hits));
        var text = await RenderAsync(new SearchResults("demo", "text", 1, 1, hits));

        Assert.Contains($"href=\"/search?like={Demo}:7\"", hybrid);
        Assert.Contains("More like this: Demo day at 01:10", hybrid);
        Assert.DoesNotContain("More like this", text);
    }

    [Fact]
    public async Task Results_for_a_picture_or_a_moment_name_it_and_come_in_one_page()
    {
        var hits = Enumerable.Range(0, 20).Select(i => new SearchHit(Demo, "Demo day", Guid.Empty, i, i * 5, i * 5 + 5, 0.5, "x", [], null)).ToArray();

        var html = await WebComponentRenderer.RenderAsync<SearchResultsView>(new Dictionary<string, object?>
        {
            [nameof(SearchResultsView.Results)] = new SearchResults("", "semantic", 45, 1, hits),
            [nameof(SearchResultsView.State)] = new SearchState(null),
            [nameof(SearchResultsView.Subject)] = "like your picture",
            [nameof(SearchResultsView.Paged)] = false,
        });

        Assert.Contains("45 moments like your picture", html);
        Assert.DoesNotContain("for “”", html);
        Assert.DoesNotContain("page=2", html);
    }

    [Fact]
    public async Task A_tile_shows_the_small_thumbnail_with_its_size_and_lazily_and_falls_back_to_the_keyframe()
    {
        var html = await RenderAsync(Results(2,
            new SearchHit(Demo, "Demo day", Guid.Empty, 2, 20, 25, 0.95, "best <mark>demo</mark>", ["title"], "/k/d2.jpg", "/t/d2.jpg"),
            new SearchHit(Plain, "Plain video", Guid.Empty, 4, 40, 52.5, 0.9, "plain <mark>demo</mark>", ["transcript"], "/k/p4.jpg")));

        Assert.Matches(@"<img src=""/t/d2\.jpg""[^>]*loading=""lazy""[^>]*width=""160""[^>]*height=""90""", html);
        Assert.DoesNotContain("/k/d2.jpg", html);
        Assert.Contains("<img src=\"/k/p4.jpg\"", html);
    }

    [Fact]
    public async Task Highlights_stay_marks_while_script_and_handlers_in_titles_and_snippets_stay_text()
    {
        var html = await RenderAsync(Results(1,
            new SearchHit(Demo, HostileTitle, Guid.Empty, 0, 0, 5, 1,
                "a <mark>demo</mark> <script>window.__xss=2</script> <img src=x onerror=alert(2)>", ["transcript"], null)));

        Assert.Contains("<mark>demo</mark>", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.DoesNotContain("<img src=\"x\"", html);
        Assert.Contains("&lt;script&gt;window.__xss=1&lt;/script&gt; Demo &lt;img src=x onerror=alert(1)&gt;", html);
        Assert.Contains("&lt;script&gt;window.__xss=2&lt;/script&gt;", html);
    }

    [Fact]
    public async Task The_pager_keeps_the_query_and_the_filters()
    {
        var hits = Enumerable.Range(0, 20)
            .Select(i => new SearchHit(Demo, "Demo day", Guid.Empty, i, i, i + 1, 1.0 / (i + 1), "<mark>demo</mark>", ["transcript"], null))
            .ToArray();

        var html = await RenderAsync(Results(45, hits), new SearchState("demo", null, Demo, "2026-03-01", null, 2));

        Assert.Contains($"href=\"/search?q=demo&amp;videoId={Demo}&amp;from=2026-03-01&amp;page=3\"", html);
        Assert.Contains($"href=\"/search?q=demo&amp;videoId={Demo}&amp;from=2026-03-01\"", html);
        Assert.Contains("Page 2 of 3", html);
    }

    [Fact]
    public async Task No_hits_and_errors_say_so_in_a_sentence()
    {
        var empty = await RenderAsync(Results(0));
        var failed = await RenderAsync(null, error: "to must not be before from.");

        Assert.Contains("No moment matches.", empty);
        Assert.Contains("role=\"alert\"", failed);
        Assert.Contains("to must not be before from.", failed);
    }
}
