using Microsoft.Data.Sqlite;
using Veeky.Search;

/// <summary>
/// SQLite FTS5 as SqliteSearchIndex uses it now: the same columns, tokenizer, scope tokens, column weights and
/// statement (every match ranked by bm25(), ORDER BY ... LIMIT k), one transaction per video, WAL.
/// </summary>
internal sealed class FtsEngine : ITextEngine
{
    private const string Bm25 = "bm25(search_text, 4.0, 3.0, 1.5, 1.0, 1.0, 1.0, 0.0)";

    private readonly string _path;
    private readonly SqliteConnection _connection;
    private SqliteCommand? _search;

    public FtsEngine(string folder)
    {
        _path = Path.Combine(folder, "search.db");
        _connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        _connection.Open();
        Execute("PRAGMA journal_mode = WAL;");
        Execute("""
            CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5 (
                title, keywords, description, transcript, ocr, caption, scope,
                tokenize = 'porter unicode61 remove_diacritics 2'
            );
            """);
    }

    public string Name => "FTS5";

    public long DiskBytes => Directory.GetFiles(Path.GetDirectoryName(_path)!, "search.db*").Sum(f => new FileInfo(f).Length);

    public void Add(VideoDocument video, IReadOnlyList<SegmentDocument> segments, long firstId)
    {
        using var transaction = _connection.BeginTransaction(deferred: false);
        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO search_text (rowid, title, keywords, description, transcript, ocr, caption, scope)
            VALUES ($id, $title, $keywords, $description, $transcript, $ocr, $caption, $scope)
            """;
        var scope = $"{CategoryToken(video.CategoryId)} {SnippetMarkup.ScopeMark}v{video.VideoId:N}0";
        for (var i = 0; i < segments.Count; i++)
        {
            var text = SegmentText.Of(video, segments[i]);
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$id", firstId + i);
            insert.Parameters.AddWithValue("$title", text.Title);
            insert.Parameters.AddWithValue("$keywords", text.Keywords);
            insert.Parameters.AddWithValue("$description", text.Description);
            insert.Parameters.AddWithValue("$transcript", text.Transcript);
            insert.Parameters.AddWithValue("$ocr", text.Ocr);
            insert.Parameters.AddWithValue("$caption", text.Caption);
            insert.Parameters.AddWithValue("$scope", scope);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    public void Finish() => Execute("PRAGMA wal_checkpoint(TRUNCATE);");

    public IReadOnlyList<long> Search(IReadOnlyList<string> words, IReadOnlyList<Guid>? categories, int limit)
    {
        // SqliteSearchIndex's Match(): the words ANDed, then the allowed category tokens.
        var match = $"({FtsQuery.Build(words, requireAll: true, prefixLast: false)})";
        if (categories is not null)
        {
            match += $" AND scope : ({string.Join(" OR ", categories.Select(c => FtsQuery.Quote(CategoryToken(c))))})";
        }
        _search ??= Prepare();
        _search.Parameters["$match"].Value = match;
        _search.Parameters["$limit"].Value = limit;
        var ids = new List<long>(limit);
        using var reader = _search.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    public void Dispose()
    {
        _search?.Dispose();
        _connection.Dispose();
    }

    private SqliteCommand Prepare()
    {
        var command = _connection.CreateCommand();
        command.CommandText = $"""
            SELECT rowid, {Bm25} AS score FROM search_text
            WHERE search_text MATCH $match
            ORDER BY score, rowid
            LIMIT $limit OFFSET 0
            """;
        command.Parameters.Add("$match", SqliteType.Text);
        command.Parameters.Add("$limit", SqliteType.Integer);
        return command;
    }

    private static string CategoryToken(Guid categoryId) => $"{SnippetMarkup.ScopeMark}c{categoryId:N}0";

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
