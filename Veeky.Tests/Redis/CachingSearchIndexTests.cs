using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Veeky.Identity;
using Veeky.Redis;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Redis;

/// <summary>The search cache in front of an index, on a real Redis: what is served from the cache, for whom, and when a
/// change makes it search again.</summary>
public sealed class CachingSearchIndexTests(RedisServer server) : IClassFixture<RedisServer>, IAsyncDisposable
{
    private readonly Guid _news = Guid.NewGuid();
    private readonly Guid _sports = Guid.NewGuid();
    private readonly Guid _finance = Guid.NewGuid();
    private readonly CountingSearchIndex _inner = new();
    private ConnectionMultiplexer? _redis;

    private async Task<CachingSearchIndex> CreateIndexAsync(string? connectionString = null)
    {
        server.Require();
        _redis ??= await server.ConnectAsync(connectionString);
        return new CachingSearchIndex(_inner, Cache(_redis));
    }

    private static RedisSearchCache Cache(IConnectionMultiplexer redis) =>
        new(redis, Options.Create(new RedisOptions()), NullLogger<RedisSearchCache>.Instance);

    private static AccessScope Viewer(params Guid[] categories) => new(Guid.NewGuid(), Roles.User, categories.ToHashSet());

    private static AccessScope Admin() => new(Guid.NewGuid(), Roles.Admin, new HashSet<Guid>());

    /// <summary>A query no other test uses, so answers cached by one test cannot satisfy another.</summary>
    private static string Query() => $"quarterly revenue {Guid.NewGuid():N}";

    private VideoDocument Video(Guid category, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), category, "Q3 results", null, ["finance"], null, DateTimeOffset.UtcNow);

    [Fact]
    public async Task The_same_query_in_the_same_scope_is_answered_from_the_cache()
    {
        var index = await CreateIndexAsync();
        var query = Query();

        var first = await index.SearchAsync(new SearchRequest(query, Viewer(_news, _sports)));
        // Same categories in another order, another user, other spacing and case: the same question.
        var second = await index.SearchAsync(new SearchRequest($"  {query.ToUpperInvariant()} ", Viewer(_sports, _news)));

        Assert.Equal(1, _inner.Searches);
        Assert.Equal(first.Total, second.Total);
        Assert.Equivalent(first, second, strict: true);
    }

    [Fact]
    public async Task Another_scope_or_another_page_is_not_served_a_cached_answer()
    {
        var index = await CreateIndexAsync();
        var query = Query();

        await index.SearchAsync(new SearchRequest(query, Viewer(_news, _sports)));
        await index.SearchAsync(new SearchRequest(query, Viewer(_news)));
        await index.SearchAsync(new SearchRequest(query, Admin()));
        await index.SearchAsync(new SearchRequest(query, Viewer(_news, _sports), Offset: 10));
        await index.SearchAsync(new SearchRequest(query, Viewer(_news, _sports), Mode: SearchMode.Text));

        Assert.Equal(5, _inner.Searches);
    }

    [Fact]
    public async Task A_search_of_own_words_only_or_of_video_rows_is_not_served_the_cached_answer_of_another_kind()
    {
        var index = await CreateIndexAsync();
        var query = Query();
        var request = new SearchRequest(query, Viewer(_news), SearchMode.Text);

        await index.SearchAsync(request);
        await index.SearchAsync(request with { Matches = TextMatches.OwnWords });
        await index.SearchAsync(request with { Matches = TextMatches.OwnWords });
        await index.SearchAsync(request with { Matches = TextMatches.VideoRows });
        await index.SearchAsync(request with { Matches = TextMatches.VideoRows });

        Assert.Equal(3, _inner.Searches);
    }

    [Fact]
    public async Task Another_date_range_is_not_served_a_cached_answer_but_the_same_instants_are()
    {
        var index = await CreateIndexAsync();
        var query = Query();
        var scope = Viewer(_news);
        var march = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        await index.SearchAsync(new SearchRequest(query, scope));
        await index.SearchAsync(new SearchRequest(query, scope, CreatedFrom: march));
        await index.SearchAsync(new SearchRequest(query, scope, CreatedTo: march));
        await index.SearchAsync(new SearchRequest(query, scope, CreatedFrom: march, CreatedTo: march.AddDays(1)));
        // The same instant written with another offset is the same range.
        await index.SearchAsync(new SearchRequest(query, scope, CreatedFrom: march.ToOffset(TimeSpan.FromHours(2))));

        Assert.Equal(4, _inner.Searches);
    }

    [Fact]
    public async Task Replacing_updating_or_deleting_a_video_of_an_included_category_invalidates_the_answer()
    {
        var index = await CreateIndexAsync();
        var query = Query();
        var scope = Viewer(_news, _sports);
        var video = Video(_news);
        await index.ReplaceVideoAsync(video, []);

        async Task<int> SearchesAfter(Func<Task> change)
        {
            await index.SearchAsync(new SearchRequest(query, scope));
            await change();
            await index.SearchAsync(new SearchRequest(query, scope));
            return _inner.Searches;
        }

        // Each round's first search is served from the cache the previous round filled; only the change costs a search.
        Assert.Equal(2, await SearchesAfter(() => index.ReplaceVideoAsync(video, [])));
        Assert.Equal(3, await SearchesAfter(() => index.UpdateVideoAsync(video with { Title = "Q3 results (corrected)" })));
        Assert.Equal(4, await SearchesAfter(() => index.DeleteVideoAsync(video.VideoId)));
    }

    [Fact]
    public async Task A_change_in_a_category_outside_the_scope_keeps_the_cached_answer_but_the_admin_answer_is_invalidated()
    {
        var index = await CreateIndexAsync();
        var query = Query();
        var finance = Video(_finance);
        await index.ReplaceVideoAsync(finance, []);
        await index.SearchAsync(new SearchRequest(query, Viewer(_news)));
        await index.SearchAsync(new SearchRequest(query, Admin()));

        await index.UpdateVideoAsync(finance with { Title = "Renamed" });
        await index.SearchAsync(new SearchRequest(query, Viewer(_news)));
        Assert.Equal(2, _inner.Searches);

        await index.SearchAsync(new SearchRequest(query, Admin()));
        Assert.Equal(3, _inner.Searches);
    }

    [Fact]
    public async Task Moving_a_video_to_another_category_invalidates_the_category_it_left()
    {
        var index = await CreateIndexAsync();
        var query = Query();
        var video = Video(_sports);
        await index.ReplaceVideoAsync(video, []);
        await index.SearchAsync(new SearchRequest(query, Viewer(_sports)));

        await index.UpdateVideoAsync(video with { CategoryId = _finance });
        await index.SearchAsync(new SearchRequest(query, Viewer(_sports)));

        Assert.Equal(2, _inner.Searches);
    }

    [Fact]
    public async Task With_Redis_unreachable_every_search_and_change_is_still_handled_by_the_index()
    {
        server.Require();
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        var index = await CreateIndexAsync($"127.0.0.1:{port}");
        var query = Query();

        var first = await index.SearchAsync(new SearchRequest(query, Viewer(_news)));
        var second = await index.SearchAsync(new SearchRequest(query, Viewer(_news)));
        await index.ReplaceVideoAsync(Video(_news), []);
        await index.DeleteVideoAsync(Guid.NewGuid());

        Assert.Equal((1, 2), (first.Total, second.Total));
        Assert.Equal(2, _inner.Searches);
    }

    [Fact]
    public async Task With_Redis_unreachable_a_search_does_not_wait_for_the_cache()
    {
        await using var own = await RedisServer.StartAsync();
        await own.KillAsync();
        await using var redis = await own.ConnectAsync();
        var index = new CachingSearchIndex(_inner, Cache(redis));

        // Completed on return: no cache lookup waiting out a command timeout between reconnection attempts, only the
        // inner index (which answers at once here).
        var search = index.SearchAsync(new SearchRequest(Query(), Viewer(_news)));

        Assert.True(search.IsCompletedSuccessfully);
        Assert.Equal(1, (await search).Total);
    }

    [Fact]
    public async Task When_Redis_goes_down_after_caching_searches_are_answered_by_the_index_again()
    {
        await using var own = await RedisServer.StartAsync();
        await using var redis = await own.ConnectAsync();
        var index = new CachingSearchIndex(_inner, Cache(redis));
        var query = Query();
        await index.SearchAsync(new SearchRequest(query, Viewer(_news)));
        await index.SearchAsync(new SearchRequest(query, Viewer(_news)));
        Assert.Equal(1, _inner.Searches);

        await own.KillAsync();
        var answer = await index.SearchAsync(new SearchRequest(query, Viewer(_news)));

        Assert.Equal(2, answer.Total);
        Assert.Equal(2, _inner.Searches);

        // Back by itself: answers are cached again once Redis answers.
        await own.StartAsync();
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            var before = _inner.Searches;
            await index.SearchAsync(new SearchRequest(query, Viewer(_news)));
            await index.SearchAsync(new SearchRequest(query, Viewer(_news)));
            return _inner.Searches == before + 1;
        }, TimeSpan.FromSeconds(15)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
