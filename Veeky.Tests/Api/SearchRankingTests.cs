using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>
/// <c>GET /api/search</c> ranks for people: a moment saying the words above moments lifted only by their video's title
/// or keywords, which come once per video as a row of their own (<c>matchedIn: "video"</c>); snippets show the words
/// said around the hit.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SearchRankingTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_own_word_moment_outranks_the_moments_of_a_video_whose_title_repeats_the_word()
    {
        var word = Word();
        var titled = await AddAsync($"{word} {word}: all about {word}", api.Visible,
            "we begin with the basics", "then some practice", "and a short summary");
        var spoken = await AddAsync("Weekly meeting", api.Visible, "budget review first", $"the {word} came up once here");

        var hits = await SearchAsync(api.Reader, word);

        Assert.Equal((spoken, 1, "moment"), Row(hits[0]));
        Assert.Equal((titled, 0, "video"), Row(hits[1]));
        Assert.Equal(2, hits.Count);
    }

    [Fact]
    public async Task A_video_matching_only_by_its_title_is_one_row_opening_at_its_start_not_one_hit_per_moment()
    {
        var word = Word();
        var titled = await AddAsync($"The {word} tour", api.Visible, "first room", "second room", "third room", "fourth room");

        var answer = await AnswerAsync(api.Reader, word);
        var hit = Assert.Single(answer.GetProperty("hits").EnumerateArray());

        Assert.Equal(1, answer.GetProperty("total").GetInt32());
        Assert.Equal((titled, 0, "video"), Row(hit));
        Assert.Equal(0, hit.GetProperty("start").GetDouble());
        Assert.Equal(["title"], hit.GetProperty("matchedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains($"<mark>{word}</mark>", hit.GetProperty("snippet").GetString());
    }

    [Fact]
    public async Task A_restricted_user_never_sees_the_row_of_a_video_in_a_hidden_category()
    {
        var word = Word();
        var hidden = await AddAsync($"Secret {word} plans", api.Hidden, "nothing said about it", "still nothing");

        var reader = await AnswerAsync(api.Reader, word);
        var admin = await SearchAsync(api.Admin, word);

        Assert.Equal(0, reader.GetProperty("total").GetInt32());
        Assert.Empty(reader.GetProperty("hits").EnumerateArray());
        Assert.Equal((hidden, 0, "video"), Row(Assert.Single(admin)));
    }

    [Fact]
    public async Task Snippets_show_the_transcript_words_said_before_and_after_the_hit()
    {
        var word = Word();
        var said = string.Join(' ', Enumerable.Range(1, 80).Select(i => i == 50 ? word : $"w{i}"));
        await AddAsync("Long talk", api.Visible, said);

        var snippet = (await SearchAsync(api.Reader, word)).Single().GetProperty("snippet").GetString()!;

        Assert.Contains($"w48 w49 <mark>{word}</mark> w51 w52", snippet);
        // A few words either side, not the whole transcript.
        Assert.StartsWith("…", snippet);
        Assert.EndsWith("…", snippet);
        Assert.DoesNotContain("w1 ", snippet);
        Assert.DoesNotContain("w80", snippet);
    }

    [Fact]
    public async Task Pages_of_rows_follow_one_another_without_repeating_or_skipping()
    {
        var word = Word();
        var titled = await AddAsync($"{word} handbook", api.Visible, "one", "two", "three", "four", "five");
        var spoken = await AddAsync("Talk", api.Visible, $"{word} one", $"{word} two", $"{word} three");

        var first = await AnswerAsync(api.Reader, word, "limit=2");
        var second = await AnswerAsync(api.Reader, word, "limit=2&offset=2");

        var rows = first.GetProperty("hits").EnumerateArray().Concat(second.GetProperty("hits").EnumerateArray()).Select(Row).ToList();
        Assert.Equal(4, first.GetProperty("total").GetInt32());
        Assert.Equal([(spoken, 0, "moment"), (spoken, 1, "moment"), (spoken, 2, "moment")], rows.Take(3).Order());
        Assert.Equal((titled, 0, "video"), rows[3]);
    }

    [Fact]
    public async Task Every_video_matching_only_by_its_title_is_one_row_and_counted_however_many_moments_it_has()
    {
        // 600 moments match through their videos' titles alone: more than any window of best moments a ranking could regroup.
        var word = Word();
        var titled = new List<Guid>();
        for (var part = 1; part <= 12; part++)
        {
            titled.Add(await AddAsync($"{word} keeping, part {part}", api.Visible, [.. Enumerable.Range(0, 50).Select(i => $"minute {i}")]));
        }
        var spoken = await AddAsync("Weekly meeting", api.Visible, "budget review first", $"then the {word} came up once");

        var rows = new List<(Guid Video, int Segment, string MatchedIn)>();
        var totals = new HashSet<int>();
        for (var offset = 0; offset < 15; offset += 5)
        {
            var page = await AnswerAsync(api.Reader, word, $"limit=5&offset={offset}");
            rows.AddRange(page.GetProperty("hits").EnumerateArray().Select(Row));
            totals.Add(page.GetProperty("total").GetInt32());
        }

        Assert.Equal([13], totals);
        Assert.Equal((spoken, 1, "moment"), rows[0]);
        Assert.Equal(titled.Order().Select(v => (v, 0, "video")), rows.Skip(1).Order());
    }

    [Fact]
    public async Task Walking_every_page_of_more_than_200_own_word_moments_returns_each_exactly_once()
    {
        var word = Word();
        var titled = await AddAsync($"{word} handbook", api.Visible, [.. Enumerable.Range(0, 10).Select(i => $"chapter {i}")]);
        var spoken = await AddAsync("Long talk", api.Visible, [.. Enumerable.Range(0, 230).Select(i => $"{word} said in minute {i}")]);

        var rows = new List<(Guid Video, int Segment, string MatchedIn)>();
        var totals = new HashSet<int>();
        for (var offset = 0; offset < 240; offset += 50)
        {
            var page = await AnswerAsync(api.Reader, word, $"limit=50&offset={offset}");
            rows.AddRange(page.GetProperty("hits").EnumerateArray().Select(Row));
            totals.Add(page.GetProperty("total").GetInt32());
        }

        Assert.Equal([231], totals);
        Assert.Equal(Enumerable.Range(0, 230).Select(i => (spoken, i, "moment")), rows.Take(230).Order());
        Assert.Equal([(titled, 0, "video")], rows.Skip(230));
    }

    private static string Word() => "rank" + Guid.NewGuid().ToString("N")[..8];

    private static (Guid Video, int Segment, string MatchedIn) Row(JsonElement hit) =>
        (hit.GetProperty("videoId").GetGuid(), hit.GetProperty("segmentIndex").GetInt32(), hit.GetProperty("matchedIn").GetString()!);

    /// <summary>Indexes a video of one moment per transcript given, ten seconds each.</summary>
    private async Task<Guid> AddAsync(string title, Guid category, params string[] transcripts)
    {
        var index = api.Factory.Services.GetRequiredService<ISearchIndex>();
        var id = Guid.CreateVersion7();
        await index.ReplaceVideoAsync(new VideoDocument(id, category, title, null, [], null, DateTimeOffset.UtcNow),
            [.. transcripts.Select((t, i) => new SegmentDocument(id, i, i * 10, i * 10 + 10, t, null, null, []))], Ct);
        return id;
    }

    private static async Task<JsonElement> AnswerAsync(Actor actor, string word, string? more = null)
    {
        var response = await actor.Client.GetAsync($"/api/search?mode=text&q={word}{(more is null ? "" : "&" + more)}", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static async Task<List<JsonElement>> SearchAsync(Actor actor, string word) =>
        [.. (await AnswerAsync(actor, word)).GetProperty("hits").EnumerateArray()];
}
