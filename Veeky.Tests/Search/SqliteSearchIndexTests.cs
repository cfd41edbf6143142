using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Identity;
using Veeky.Search;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Search;

/// <summary>The conformance suite against the embedded index (search.db, Lucene.Net text index, in-memory vectors), each
/// test in its own data folder.</summary>
public sealed class SqliteSearchIndexTests : SearchIndexConformanceTests
{
    private readonly TempFolder _folder = new("veeky-search");
    private readonly List<SqliteSearchIndex> _opened = [];

    protected override Task<ISearchIndex> OpenIndexAsync() => Task.FromResult<ISearchIndex>(Open(new SearchOptions()));

    private SqliteSearchIndex Open(SearchOptions options)
    {
        var index = new SqliteSearchIndex(
            Options.Create(new VeekyDataOptions { DataDirectory = _folder.Path }),
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

    [Fact]
    public async Task The_text_index_lives_in_search_text_beside_search_db_and_fts5_is_gone()
    {
        Assert.Equal(_folder.File("search-text"), ((SqliteSearchIndex)Index).TextIndexPath);
        Assert.NotEmpty(Directory.GetFiles(_folder.File("search-text")));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name = 'search_text'"));
    }

    [Fact]
    public async Task A_lost_text_index_folder_is_rebuilt_from_search_db_on_start()
    {
        await CloseAllAsync();
        Directory.Delete(_folder.File("search-text"), recursive: true);

        var reopened = Open(new SearchOptions());
        await reopened.InitializeAsync(Ct);
        var onion = await reopened.SearchAsync(Request("onion", SearchCorpus.Admin), Ct);
        var hidden = await reopened.SearchAsync(Request("clinic", SearchCorpus.Cook), Ct);
        await reopened.WhenVectorsLoadedAsync(Ct);

        Assert.Null(reopened.LoadingStatus);
        Assert.Equal(3, onion.Total);
        Assert.Contains(onion.Hits, h => h.Snippet == "Hold the <mark>onion</mark> firmly and slice it thin.");
        Assert.Equal(0, hidden.Total);
    }

    [Fact]
    public async Task A_text_index_behind_search_db_after_a_crash_is_rebuilt_on_start()
    {
        await CloseAllAsync();
        // What a crash between search.db's commit and the folder's leaves: search.db one write ahead.
        await ExecuteAsync($"""
            UPDATE search_segments SET transcript = 'Grind the cardamom first.' WHERE video_id = '{SearchCorpus.TripVideo:D}';
            UPDATE search_state SET value = value + 1 WHERE name = 'text_generation';
            """);

        var reopened = Open(new SearchOptions());
        await reopened.InitializeAsync(Ct);

        var found = await reopened.SearchAsync(Request("cardamom", SearchCorpus.Admin), Ct);
        Assert.Equal((SearchCorpus.TripVideo, 0), (found.Hits.Single().VideoId, found.Hits.Single().SegmentIndex));
        Assert.Equal(0, (await reopened.SearchAsync(Request("waves", SearchCorpus.Admin), Ct)).Total);
    }

    [Fact]
    public async Task A_text_index_written_before_own_word_filtering_is_rebuilt_on_start_and_then_filters_by_own_words()
    {
        await CloseAllAsync();
        await WriteTextIndexAsBeforeOwnWordsAsync();

        var reopened = Open(new SearchOptions());
        await reopened.InitializeAsync(Ct);
        var own = await reopened.SearchAsync(Request("onion", SearchCorpus.Admin) with { Matches = TextMatches.OwnWords }, Ct);
        var hidden = await reopened.SearchAsync(Request("knife", SearchCorpus.Nurse) with { Matches = TextMatches.OwnWords }, Ct);

        Assert.Equal([(SearchCorpus.KnifeVideo, 1), (SearchCorpus.KnifeVideo, 2)], own.Hits.Select(h => (h.VideoId, h.SegmentIndex)).Order());
        Assert.Equal(0, hidden.Total);
    }

    [Fact]
    public async Task A_text_index_written_before_video_rows_is_rebuilt_on_start_and_then_collapses_moments_by_video()
    {
        await CloseAllAsync();
        await WriteTextIndexAsBeforeOwnWordsAsync(layout: "2");

        var reopened = Open(new SearchOptions());
        await reopened.InitializeAsync(Ct);
        var rows = await reopened.SearchAsync(Request("knife", SearchCorpus.Admin) with { Matches = TextMatches.VideoRows }, Ct);

        Assert.Equal([(SearchCorpus.KnifeVideo, 0)], rows.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
        Assert.Equal(1, rows.Total);
    }

    /// <summary>
    /// The search-text folder as the version before own-word filtering wrote it, at search.db's generation: one document
    /// per moment with its id, video, category and scored words, and commit data naming the generation alone. With
    /// <paramref name="layout"/> "2", as the version before video rows wrote it: also the own words (here all of the
    /// moment's words), and the layout in the commit data.
    /// </summary>
    private async Task WriteTextIndexAsBeforeOwnWordsAsync(string? layout = null)
    {
        var generation = await ScalarAsync("SELECT value FROM search_state WHERE name = 'text_generation'");
        var rows = new List<(long Id, string Video, string Category, string Text)>();
        await using (var connection = await ConnectAsync())
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = """
                SELECT s.id, s.video_id, s.category_id, v.title || ' ' || s.transcript || ' ' || s.ocr || ' ' || s.caption
                FROM search_segments s JOIN search_videos v ON v.video_id = s.video_id
                """;
            await using var reader = await select.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }
        Directory.Delete(_folder.File("search-text"), recursive: true);
        using var directory = Lucene.Net.Store.FSDirectory.Open(_folder.File("search-text"));
        using var writer = new Lucene.Net.Index.IndexWriter(directory,
            new Lucene.Net.Index.IndexWriterConfig(TextAnalysis.Version, new Lucene.Net.Analysis.Core.KeywordAnalyzer()));
        var scored = new Lucene.Net.Documents.FieldType { IsIndexed = true, IsTokenized = true, IndexOptions = Lucene.Net.Index.IndexOptions.DOCS_AND_FREQS };
        foreach (var (id, video, category, text) in rows)
        {
            var document = new Lucene.Net.Documents.Document
            {
                new Lucene.Net.Documents.NumericDocValuesField("id", id),
                new Lucene.Net.Documents.StringField("video", Guid.Parse(video).ToString("N"), Lucene.Net.Documents.Field.Store.NO),
                new Lucene.Net.Documents.StringField("category", Guid.Parse(category).ToString("N"), Lucene.Net.Documents.Field.Store.NO),
                new Lucene.Net.Documents.Field("text", TextAnalysis.Tokens(text), scored),
            };
            if (layout is not null)
            {
                document.Add(new Lucene.Net.Documents.Field("own", TextAnalysis.Tokens(text), scored));
            }
            writer.AddDocument(document);
        }
        var commit = new Dictionary<string, string> { ["veeky.generation"] = generation.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (layout is not null)
        {
            commit["veeky.layout"] = layout;
        }
        writer.SetCommitData(commit);
        writer.Commit();
    }

    [Fact]
    public async Task A_search_db_written_by_the_fts5_version_comes_up_searchable()
    {
        await CloseAllAsync();
        // search.db as the FTS5 version left it: the text in an FTS5 table, segment rows without text, no Lucene folder.
        await ExecuteAsync("""
            CREATE VIRTUAL TABLE search_text USING fts5 (title, keywords, description, transcript, ocr, caption, scope,
                tokenize = 'porter unicode61 remove_diacritics 2');
            INSERT INTO search_text (rowid, title, keywords, description, transcript, ocr, caption, scope)
                SELECT id, '', '', '', transcript, ocr, caption, '' FROM search_segments;
            CREATE TABLE old_segments AS SELECT id, video_id, segment_index, category_id, start_seconds, end_seconds, segment_keywords FROM search_segments;
            DROP TABLE search_segments;
            CREATE TABLE search_segments (
                id INTEGER PRIMARY KEY AUTOINCREMENT, video_id TEXT NOT NULL, segment_index INTEGER NOT NULL,
                category_id TEXT NOT NULL, start_seconds REAL NOT NULL, end_seconds REAL NOT NULL, segment_keywords TEXT NOT NULL,
                UNIQUE (video_id, segment_index));
            INSERT INTO search_segments SELECT * FROM old_segments;
            DROP TABLE old_segments;
            DROP TABLE search_state;
            """);
        Directory.Delete(_folder.File("search-text"), recursive: true);

        var reopened = Open(new SearchOptions());
        await reopened.InitializeAsync(Ct);
        var onion = await reopened.SearchAsync(Request("onion", SearchCorpus.Admin), Ct);
        var running = await reopened.SearchAsync(Request("running", SearchCorpus.Admin), Ct);

        Assert.Equal(3, onion.Total);
        Assert.Contains("<mark>runs</mark>", running.Hits.Single().Snippet);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name = 'search_text'"));
    }

    /// <summary>
    /// The ranking the text index replaced, on the same library and queries as
    /// <see cref="SearchIndexConformanceTests.Typical_queries_put_the_moment_a_person_would_pick_first"/>: SQLite FTS5's
    /// bm25() with the column weights the FTS5 version used. Both engines pick the same moment, so Lucene's one weighted
    /// field expresses what the FTS5 columns did.
    /// </summary>
    [Theory]
    [InlineData("glaze", "glaze-keywords", 0)]
    [InlineData("proofing", "proofing", 0)]
    [InlineData("caramel sauce", "sauce", 1)]
    [InlineData("whisk meringue", "sauce", 2)]
    public async Task Fts5_as_the_index_ranked_before_put_the_same_moment_first(string query, string video, int segment)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(Ct);
        await using var create = connection.CreateCommand();
        create.CommandText = """
            CREATE VIRTUAL TABLE search_text USING fts5 (title, keywords, description, transcript, ocr, caption,
                tokenize = 'porter unicode61 remove_diacritics 2')
            """;
        await create.ExecuteNonQueryAsync(Ct);
        var rows = new List<(string Video, int Segment)>();
        foreach (var (name, (document, segments)) in SearchIndexConformanceTests.RelevanceLibrary())
        {
            foreach (var moment in segments)
            {
                rows.Add((name, moment.SegmentIndex));
                await using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO search_text (rowid, title, keywords, description, transcript, ocr, caption) VALUES ($id, $title, $keywords, $description, $transcript, '', '')";
                insert.Parameters.AddWithValue("$id", rows.Count);
                insert.Parameters.AddWithValue("$title", document.Title);
                insert.Parameters.AddWithValue("$keywords", string.Join(", ", document.Keywords));
                insert.Parameters.AddWithValue("$description", document.Description ?? "");
                insert.Parameters.AddWithValue("$transcript", moment.Transcript ?? "");
                await insert.ExecuteNonQueryAsync(Ct);
            }
        }
        await using var search = connection.CreateCommand();
        search.CommandText = """
            SELECT rowid FROM search_text WHERE search_text MATCH $match
            ORDER BY bm25(search_text, 4.0, 3.0, 1.5, 1.0, 1.0, 1.0), rowid LIMIT 1
            """;
        search.Parameters.AddWithValue("$match", FtsQuery.Build(FtsQuery.Terms(query), requireAll: true, prefixLast: false));

        var first = Convert.ToInt32(await search.ExecuteScalarAsync(Ct));

        Assert.Equal((video, segment), rows[first - 1]);
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
    public async Task Int8_codes_rescored_with_float32_give_the_exact_top_10_of_a_clustered_library()
    {
        var random = new Random(5);
        var vectors = ClusteredVectors(random, count: 4000, dimensions: TestHashingEmbeddingGenerator.Dimensions, centroids: 40);
        await Index.ReplaceVideoAsync(SearchCorpus.Trip, vectors.Select((v, i) =>
            SearchCorpus.Segment(SearchCorpus.TripVideo, i, i, i + 1, transcript: "moment") with { TextEmbedding = v }).ToList(), Ct);

        for (var q = 0; q < 20; q++)
        {
            var query = Near(random, vectors[random.Next(vectors.Length)], 0.05f);
            var exact = Enumerable.Range(0, vectors.Length)
                .OrderByDescending(i => System.Numerics.Tensors.TensorPrimitives.Dot(query, vectors[i])).Take(10).ToList();

            var result = await Index.SearchAsync(new SearchRequest("", SearchCorpus.Admin, SearchMode.Semantic, VideoId: SearchCorpus.TripVideo,
                Limit: 10, QueryEmbedding: query), Ct);

            Assert.Equal(exact, result.Hits.Select(h => h.SegmentIndex));
        }
    }

    [Fact]
    public async Task Hybrid_search_gives_the_same_top_10_as_exact_fusion_of_every_match()
    {
        // 3,000 moments with the word; the strongest BM25 matches are the oldest, where a cut to the newest would miss them.
        var random = new Random(6);
        var vectors = ClusteredVectors(random, count: 3000, dimensions: TestHashingEmbeddingGenerator.Dimensions, centroids: 30);
        var segments = vectors.Select((v, i) => SearchCorpus.Segment(SearchCorpus.TripVideo, i, i, i + 1,
            transcript: string.Join(' ', Enumerable.Repeat("tide", i < 100 ? 1 + random.Next(4) : 1))
                + $" and {random.Next(30)} other words {new string('x', random.Next(1, 40))}") with { TextEmbedding = v }).ToList();
        await Index.ReplaceVideoAsync(SearchCorpus.Trip, segments, Ct);
        var ids = await SegmentIdsAsync();

        for (var q = 0; q < 5; q++)
        {
            var query = Near(random, vectors[random.Next(vectors.Length)], 0.05f);
            var semantic = Enumerable.Range(0, vectors.Length)
                .Select(i => new ScoredId(ids[i], System.Numerics.Tensors.TensorPrimitives.Dot(query, vectors[i])))
                .OrderByDescending(h => h.Score).Take(50).ToList();
            var exact = HybridFusion.MinMaxWeightedMean([new FusionLeg(await ExactBm25Async("tide", 50), 0.5), new FusionLeg(semantic, 0.5)]);

            var result = await Index.SearchAsync(new SearchRequest("tide", SearchCorpus.Admin, SearchMode.Hybrid, VideoId: SearchCorpus.TripVideo, Limit: 10, QueryEmbedding: query), Ct);

            Assert.Equal(SearchMode.Hybrid, result.Mode);
            Assert.Equal(exact.Take(10).Select(h => h.Id), result.Hits.Where(h => h.VideoId == SearchCorpus.TripVideo).Select(h => ids[h.SegmentIndex]));
        }
    }

    [Fact]
    public async Task An_index_written_before_vector_codes_existed_codes_its_vectors_on_start()
    {
        var doctor = Request("doctor", SearchCorpus.Admin, SearchMode.Semantic, embed: true);
        var before = await Index.SearchAsync(doctor, Ct);
        await ExecuteAsync("DELETE FROM search_vector_codes");

        var reopened = Open(new SearchOptions());
        await reopened.InitializeAsync(Ct);
        await reopened.WhenVectorsLoadedAsync(Ct);
        var after = await reopened.SearchAsync(doctor, Ct);

        Assert.Null(reopened.LoadingStatus);
        Assert.Equal(before.Hits.Select(h => (h.VideoId, h.SegmentIndex)), after.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM search_vectors"), await ScalarAsync("SELECT count(*) FROM search_vector_codes"));
    }

    [Fact]
    public async Task A_restart_reads_the_vectors_from_the_vector_file_saved_on_close()
    {
        var doctor = Request("doctor", SearchCorpus.Admin, SearchMode.Semantic, embed: true);
        var before = await Index.SearchAsync(doctor, Ct);
        await CloseAllAsync();
        // Codes search.db no longer holds, without a write that would put the file behind: only the file has them now.
        await ExecuteAsync("UPDATE search_vector_codes SET text_code = NULL");

        var reopened = Open(new SearchOptions());
        await reopened.InitializeAsync(Ct);
        await reopened.WhenVectorsLoadedAsync(Ct);
        var after = await reopened.SearchAsync(doctor, Ct);

        Assert.True(File.Exists(_folder.File(Path.Combine("search-vectors", "vectors.bin"))));
        Assert.NotEmpty(before.Hits);
        Assert.Equal(before.Hits.Select(h => (h.VideoId, h.SegmentIndex)), after.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
    }

    [Fact]
    public async Task A_lost_vector_file_is_rebuilt_from_search_db_on_start()
    {
        var doctor = Request("doctor", SearchCorpus.Admin, SearchMode.Semantic, embed: true);
        var before = await Index.SearchAsync(doctor, Ct);
        await CloseAllAsync();
        Directory.Delete(_folder.File("search-vectors"), recursive: true);

        var reopened = Open(new SearchOptions());
        await reopened.InitializeAsync(Ct);
        await reopened.WhenVectorsLoadedAsync(Ct);
        var after = await reopened.SearchAsync(doctor, Ct);

        Assert.Null(reopened.LoadingStatus);
        Assert.Equal(before.Hits.Select(h => (h.VideoId, h.SegmentIndex)), after.Hits.Select(h => (h.VideoId, h.SegmentIndex)));
        Assert.True(File.Exists(reopened.VectorFilePath));
    }

    [Fact]
    public async Task A_vector_file_behind_search_db_is_not_used_but_rebuilt_from_search_db()
    {
        await CloseAllAsync();
        var saved = _folder.File("vectors-before.bin");
        File.Copy(_folder.File(Path.Combine("search-vectors", "vectors.bin")), saved);
        var lighthouse = SearchCorpus.Segment(SearchCorpus.TripVideo, 1, 18, 30, transcript: "The lighthouse keeper climbs the spiral stairs.");
        var writer = Open(new SearchOptions());
        await writer.ReplaceVideoAsync(SearchCorpus.Trip, [.. SearchCorpus.TripSegments, lighthouse], Ct);
        await CloseAllAsync();
        // The file as it was before that write (a crash, or a file copied back from a backup): one generation behind.
        File.Copy(saved, _folder.File(Path.Combine("search-vectors", "vectors.bin")), overwrite: true);

        var reopened = Open(new SearchOptions());
        await reopened.InitializeAsync(Ct);
        await reopened.WhenVectorsLoadedAsync(Ct);
        var found = await reopened.SearchAsync(Request("lighthouse keeper spiral stairs", SearchCorpus.Admin, SearchMode.Semantic, embed: true, limit: 1), Ct);

        Assert.Equal((SearchCorpus.TripVideo, 1), (found.Hits.Single().VideoId, found.Hits.Single().SegmentIndex));
        Assert.NotEqual(File.ReadAllBytes(saved), File.ReadAllBytes(_folder.File(Path.Combine("search-vectors", "vectors.bin"))));
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

    /// <summary>Unit vectors around <paramref name="centroids"/> random directions, as embeddings of topics are.</summary>
    private static float[][] ClusteredVectors(Random random, int count, int dimensions, int centroids)
    {
        var centres = Enumerable.Range(0, centroids).Select(_ => Near(random, new float[dimensions], 1f)).ToArray();
        return Enumerable.Range(0, count).Select(_ => Near(random, centres[random.Next(centroids)], 0.15f)).ToArray();
    }

    private static float[] Near(Random random, float[] vector, float spread) =>
        VectorIndex.Normalize(vector.Select(x => x + (float)(random.NextDouble() * 2 - 1) * spread).ToArray())!;

    /// <summary>Segment index to row id of the trip video's segments.</summary>
    private async Task<Dictionary<int, long>> SegmentIdsAsync()
    {
        await using var connection = await ConnectAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT segment_index, id FROM search_segments WHERE video_id = '{SearchCorpus.TripVideo:D}'";
        var ids = new Dictionary<int, long>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            ids[reader.GetInt32(0)] = reader.GetInt64(1);
        }
        return ids;
    }

    /// <summary>BM25 over every match as the text index scores it, best first, higher is better.</summary>
    private Task<List<ScoredId>> ExactBm25Async(string word, int k)
    {
        using var text = LuceneTextIndex.Open(_folder.File("search-text"));
        var searcher = text.Acquire();
        try
        {
            var query = new Lucene.Net.Search.TermQuery(LuceneTextIndex.Term(TextAnalysis.Terms(word).Single()));
            var (all, total) = LuceneTextIndex.Search(searcher, query, new TextFilter(null), limit: 100_000, offset: 0);
            Assert.Equal(total, all.Count);
            return Task.FromResult(all.OrderByDescending(h => h.Score).ThenBy(h => h.Id).Take(k).ToList());
        }
        finally
        {
            text.Release(searcher);
        }
    }

    /// <summary>Closes every index opened over this test's folder, so the next one opens the files afresh.</summary>
    private async Task CloseAllAsync()
    {
        foreach (var index in _opened)
        {
            await index.WhenVectorsLoadedAsync(Ct);
            index.Dispose();
        }
        _opened.Clear();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct));
    }

    private async Task<SqliteConnection> ConnectAsync()
    {
        var connection = new SqliteConnection($"Data Source={_folder.File("search.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        return connection;
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
