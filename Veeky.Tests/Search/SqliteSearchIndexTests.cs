using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Identity;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Search;

/// <summary>The conformance suite against SQLite FTS5 + the in-memory vector index, each test in its own data folder.</summary>
public sealed class SqliteSearchIndexTests : SearchIndexConformanceTests
{
    private readonly TempFolder _folder = new("veeky-search");
    private readonly List<SqliteSearchIndex> _opened = [];

    protected override Task<ISearchIndex> OpenIndexAsync() => Task.FromResult<ISearchIndex>(Open(new SearchOptions()));

    private SqliteSearchIndex Open(SearchOptions options)
    {
        var index = new SqliteSearchIndex(
            Options.Create(new VeekyOptions { DataDirectory = _folder.Path }),
            Options.Create(options),
            NullLogger<SqliteSearchIndex>.Instance);
        _opened.Add(index);
        return index;
    }

    [Fact]
    public async Task The_index_lives_in_search_db_in_the_data_directory()
    {
        Assert.True(File.Exists(_folder.File("search.db")));
        Assert.Equal(_folder.File("search.db"), ((SqliteSearchIndex)Index).DatabasePath);
        Assert.True(await Index.PingAsync(Ct));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    public async Task The_bm25_leg_filters_dates_alike_through_the_segment_set_and_through_video_tokens(int tokenLimit)
    {
        await DateCorpusAsync();
        var index = Open(new SearchOptions { DateFilterTokenLimit = tokenLimit });
        var names = new Dictionary<Guid, string>
        {
            [SearchCorpus.KnifeVideo] = "knife", [SearchCorpus.BreadVideo] = "bread",
            [SearchCorpus.ClinicVideo] = "clinic", [SearchCorpus.TripVideo] = "trip",
        };
        async Task<(string Videos, int Total)> Search(AccessScope scope, DateTimeOffset? from, DateTimeOffset? to)
        {
            var result = await index.SearchAsync(Request("the", scope, limit: 20) with { CreatedFrom = from, CreatedTo = to }, Ct);
            return (string.Join(' ', result.Hits.Select(h => names[h.VideoId]).Distinct().Order()), result.Total);
        }

        // Two in, two out; three in and one out (written as NOT the one with tokens); one in, three out.
        var fromEleventh = await Search(SearchCorpus.Admin, Utc(2026, 3, 11), null);
        var fromTenth = await Search(SearchCorpus.Admin, Utc(2026, 3, 10), null);
        var tenthOnly = await Search(SearchCorpus.Admin, Utc(2026, 3, 10), Utc(2026, 3, 11).AddMilliseconds(-1));
        var cook = await Search(SearchCorpus.Cook, Utc(2026, 3, 10), null);

        Assert.Equal(("bread clinic", 4), fromEleventh);
        Assert.Equal(("bread clinic knife", 6), fromTenth);
        Assert.Equal(("knife", 2), tenthOnly);
        Assert.Equal(("bread knife", 4), cook);
    }

    [Fact]
    public async Task Reciprocal_rank_fusion_can_be_chosen_instead_of_score_normalisation()
    {
        var rrf = Open(new SearchOptions { Fusion = FusionMethod.ReciprocalRank });
        var request = Request("onion slice", SearchCorpus.Admin, SearchMode.Hybrid, embed: true);

        var result = await rrf.SearchAsync(request, Ct);

        Assert.Equal(SearchMode.Hybrid, result.Mode);
        Assert.Equal((SearchCorpus.KnifeVideo, 1), (result.Hits[0].VideoId, result.Hits[0].SegmentIndex));
        // First in both legs: 0.5 / 61 + 0.5 / 61.
        Assert.Equal(1.0 / 61, result.Hits[0].Score, 9);
    }

    [Fact]
    public async Task A_word_found_in_many_segments_counts_them_all_and_pages_through_them()
    {
        var bounded = Open(new SearchOptions());
        var segments = Enumerable.Range(0, 150)
            .Select(i => SearchCorpus.Segment(SearchCorpus.TripVideo, i, i, i + 1, transcript: $"everywhere {i}"))
            .ToList();
        await bounded.ReplaceVideoAsync(SearchCorpus.Trip, segments, Ct);

        var first = await bounded.SearchAsync(Request("everywhere", SearchCorpus.Admin), Ct);
        var deep = await bounded.SearchAsync(Request("everywhere", SearchCorpus.Admin, limit: 10, offset: 140), Ct);

        Assert.Equal(150, first.Total);
        Assert.Equal(10, first.Hits.Count);
        Assert.Equal(150, deep.Total);
        Assert.Equal(10, deep.Hits.Count);
    }

    [Fact]
    public async Task The_best_match_of_a_common_word_is_found_when_it_is_the_oldest_of_3000_matches()
    {
        // Indexed first, so it has the lowest rowid: a leg that ranked only the newest matches would never see it.
        var best = SearchCorpus.Segment(SearchCorpus.KnifeVideo, 0, 0, 5, transcript: "common common common common");
        await Index.ReplaceVideoAsync(SearchCorpus.Knife, [best], Ct);
        var others = Enumerable.Range(0, 3000)
            .Select(i => SearchCorpus.Segment(SearchCorpus.TripVideo, i, i, i + 1,
                transcript: $"common word among many other words of moment number {i} in a long transcript"))
            .ToList();
        await Index.ReplaceVideoAsync(SearchCorpus.Trip, others, Ct);

        foreach (var mode in new[] { SearchMode.Text, SearchMode.Hybrid })
        {
            var result = await Index.SearchAsync(Request("common", SearchCorpus.Admin, mode), Ct);

            Assert.Equal(3001, result.Total);
            Assert.Equal((SearchCorpus.KnifeVideo, 0), (result.Hits[0].VideoId, result.Hits[0].SegmentIndex));
        }
    }

    [Fact]
    public async Task The_database_is_in_wal_mode_so_readers_run_beside_the_writer()
    {
        await using var connection = new SqliteConnection($"Data Source={_folder.File("search.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Embeddings_of_another_dimension_are_refused_with_a_reason()
    {
        var segment = SearchCorpus.Segment(SearchCorpus.TripVideo, 0, 0, 5, transcript: "short")
            with { TextEmbedding = Enumerable.Repeat(1f, 768).ToArray() };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Index.ReplaceVideoAsync(SearchCorpus.Trip, [segment], Ct));

        Assert.Contains("Reindex", error.Message);
        Assert.Equal(1, (await SearchAsync("waves", SearchCorpus.Admin)).Total);
    }

    [Fact]
    public async Task A_query_spelling_an_internal_scope_token_matches_nothing()
    {
        // The scope column holds U+E000 + "c" + category id + "0"; typed by a user it must stay an unknown word.
        var token = $"\uE000c{SearchCorpus.Medicine:N}0";

        var result = await SearchAsync(token, SearchCorpus.Admin);

        Assert.Equal(0, result.Total);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var index in _opened)
        {
            index.Dispose();
        }
        _folder.Dispose();
        await base.DisposeAsync();
    }
}
