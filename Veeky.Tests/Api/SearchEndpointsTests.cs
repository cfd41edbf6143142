using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class SearchEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hybrid_search_without_an_embedding_model_runs_as_text_and_says_so()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await api.Reader.Client.GetFromJsonAsync<JsonElement>("/api/search?q=spoken%20words&mode=hybrid", Ct);
        var waitedMs = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        Assert.Equal("spoken words", result.GetProperty("query").GetString());
        Assert.Equal("text", result.GetProperty("mode").GetString());
        // The server's own time for the search: some, and no more than the client waited for the whole answer.
        Assert.InRange(result.GetProperty("tookMs").GetDouble(), 0.05, waitedMs);
        Assert.True(result.TryGetProperty("total", out _));
        Assert.Equal(JsonValueKind.Array, result.GetProperty("hits").ValueKind);
    }

    [Fact]
    public async Task Semantic_search_without_an_embedding_model_is_a_400_naming_the_setting()
    {
        var response = await api.Reader.Client.GetAsync("/api/search?q=revenue&mode=semantic", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("ConnectionStrings:ollama-embed", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/api/search")]
    [InlineData("/api/search?q=a&limit=0")]
    [InlineData("/api/search?q=a&limit=101")]
    [InlineData("/api/search?q=a&offset=-1")]
    [InlineData("/api/search?q=a&mode=psychic")]
    public async Task Bad_search_parameters_are_a_400_validation_problem(string url)
    {
        var response = await api.Reader.Client.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("errors", out _));
    }

    [Theory]
    [InlineData("/api/search?q=a&from=yesterday", "from")]
    [InlineData("/api/search?q=a&to=2026-13-01", "to")]
    [InlineData("/api/search?q=a&from=03%2F31%2F2026", "from")]
    [InlineData("/api/search?q=a&from=2026-03-02&to=2026-03-01", "to")]
    [InlineData("/api/search?q=a&from=2026-03-01T12:00:00Z&to=2026-03-01T11:59:59Z", "to")]
    public async Task A_bad_or_reversed_date_range_is_a_400_naming_the_field(string url, string field)
    {
        var response = await api.Reader.Client.GetAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task From_and_to_keep_the_moments_of_videos_created_in_the_range_whole_days_included()
    {
        var word = await DatedVideosAsync();

        var march = await HitVideosAsync(api.Admin, $"q={word}&from=2026-03-01&to=2026-03-31");
        var lastDay = await HitVideosAsync(api.Admin, $"q={word}&from=2026-03-31&to=2026-03-31");
        var open = await HitVideosAsync(api.Admin, $"q={word}&from=2026-03-31T23:00:00%2B01:00");
        var all = await HitVideosAsync(api.Admin, $"q={word}");

        Assert.Equal(["Hidden march", "Visible march"], march);
        Assert.Equal(["Hidden march", "Visible march"], lastDay);
        Assert.Equal(["Visible april", "Visible march"], open);
        Assert.Equal(["Hidden march", "Visible april", "Visible march"], all);
    }

    [Fact]
    public async Task A_date_range_never_shows_a_user_videos_outside_their_categories()
    {
        var word = await DatedVideosAsync();

        var reader = await HitVideosAsync(api.Reader, $"q={word}&from=2026-03-01&to=2026-03-31");
        var outsider = await HitVideosAsync(api.Outsider, $"q={word}&from=2026-03-01&to=2026-04-30");

        Assert.Equal(["Visible march"], reader);
        Assert.Empty(outsider);
    }

    /// <summary>
    /// Three videos sharing a word no other test uses: one in the visible category on 31 March 23:30 UTC, one in the hidden
    /// category the same day, one visible on 1 April. Returns the word.
    /// </summary>
    private async Task<string> DatedVideosAsync()
    {
        var word = "dated" + Guid.NewGuid().ToString("N")[..8];
        var index = api.Factory.Services.GetRequiredService<ISearchIndex>();
        async Task Add(string title, Guid category, DateTimeOffset created)
        {
            var id = Guid.CreateVersion7();
            await index.ReplaceVideoAsync(new VideoDocument(id, category, title, null, [], null, created),
                [new SegmentDocument(id, 0, 0, 5, $"the {word} moment", null, null, [])], Ct);
        }
        await Add("Visible march", api.Visible, new DateTimeOffset(2026, 3, 31, 23, 30, 0, TimeSpan.Zero));
        await Add("Hidden march", api.Hidden, new DateTimeOffset(2026, 3, 31, 10, 0, 0, TimeSpan.Zero));
        await Add("Visible april", api.Visible, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        return word;
    }

    private static async Task<string[]> HitVideosAsync(Actor actor, string query)
    {
        var response = await actor.Client.GetAsync($"/api/search?mode=text&limit=100&{query}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return [.. result.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("videoTitle").GetString()!).Distinct().Order()];
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(a b")]
    [InlineData("* - OR AND ( ) :")]
    [InlineData("مرحبا 🎬")]
    public async Task Any_query_text_is_safe(string query)
    {
        var response = await api.Reader.Client.GetAsync($"/api/search?q={Uri.EscapeDataString(query)}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Search_needs_a_bearer_token()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/search?q=a", Ct)).StatusCode);
    }

    [Fact]
    public async Task Ask_without_a_chat_model_is_a_503_naming_the_setting()
    {
        var response = await api.Reader.Client.PostAsJsonAsync("/api/ask", new { question = "What was said about revenue?" }, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("ConnectionStrings:ollama-chat", problem.GetProperty("detail").GetString());
    }
}
