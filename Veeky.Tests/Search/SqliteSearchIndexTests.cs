using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Search;

/// <summary>The conformance suite against SQLite FTS5 + the in-memory vector index, each test in its own data folder.</summary>
public sealed class SqliteSearchIndexTests : SearchIndexConformanceTests
{
    private readonly TempFolder _folder = new("veeky-search");
    private readonly List<SqliteSearchIndex> _opened = [];

    protected override Task<ISearchIndex> OpenIndexAsync()
    {
        var index = new SqliteSearchIndex(
            Options.Create(new VeekyOptions { DataDirectory = _folder.Path }),
            Options.Create(new SearchOptions()),
            NullLogger<SqliteSearchIndex>.Instance);
        _opened.Add(index);
        return Task.FromResult<ISearchIndex>(index);
    }

    [Fact]
    public async Task The_index_lives_in_search_db_in_the_data_directory()
    {
        Assert.True(File.Exists(_folder.File("search.db")));
        Assert.Equal(_folder.File("search.db"), ((SqliteSearchIndex)Index).DatabasePath);
        Assert.True(await Index.PingAsync(Ct));
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
