using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Veeky.Search;

/// <summary>
/// The embedded edition's search index in <c>{DataDirectory}/search.db</c>: SQLite FTS5 (porter stemming, BM25 with
/// field weights, highlighted snippets) plus an in-memory cosine <see cref="VectorIndex"/> whose vectors are kept in the
/// same file, fused for hybrid search.
/// </summary>
/// <remarks>
/// Each segment row carries copies of its video's title, keywords and description, so a match on a video-level field
/// ranks every segment of that video, while hits remain moments. Access control is part of every query: the SQL legs
/// filter on the segment's category inside the statement, the vector legs skip rows of other categories before scoring.
/// Every operation opens its own (pooled) connection; the database is in WAL mode, so readers run beside the one writer
/// and see a consistent snapshot.
/// <para>
/// Access control in the BM25 leg is part of the MATCH expression itself: each segment's FTS row holds a <c>scope</c>
/// column with one token for its category and one for its video, and a scoped query ANDs the user's words with the
/// allowed category tokens. FTS5 intersects the posting lists, so a user in a few categories costs less than an
/// administrator, where a join to a category column would look up every matching row. Scope tokens begin with a
/// private-use character, which unicode61 keeps inside a token but <see cref="FtsQuery"/> treats as a separator, so no
/// user word can ever match one (and no column filter, which makes FTS5 decode every position list, is needed).
/// </para>
/// </remarks>
public sealed class SqliteSearchIndex : ISearchIndex, IRebuildableSearchIndex, IDisposable
{
    /// <summary>
    /// BM25 column weights in FTS column order (title, keywords, description, transcript, ocr, caption). Title and
    /// keywords are short, chosen by people and say what the whole video is about: a word there is the strongest
    /// evidence. The description is written by people too but longer and more general. Transcript, OCR and caption are
    /// machine output with recognition errors and incidental words, so they count at the base weight.
    /// </summary>
    private const string Bm25 = "bm25(search_text, 4.0, 3.0, 1.5, 1.0, 1.0, 1.0, 0.0)";


    /// <summary>Tokens per snippet: about 200 characters of English.</summary>
    private const int SnippetTokens = 32;

    private static readonly string[] ColumnFields =
    [
        SearchFields.Title, SearchFields.Keywords, SearchFields.Description,
        SearchFields.Transcript, SearchFields.Ocr, SearchFields.Caption,
    ];

    /// <summary>Columns a hit's snippet is taken from, in order of preference: the moment's own words first.</summary>
    private static readonly int[] SnippetColumnPreference = [3, 4, 5, 2, 1, 0];

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS search_videos (
            video_id     TEXT PRIMARY KEY,
            category_id  TEXT NOT NULL,
            title        TEXT NOT NULL,
            description  TEXT,
            keywords     TEXT NOT NULL,
            summary      TEXT,
            created_at   TEXT NOT NULL
        );
        -- AUTOINCREMENT: a segment id is never reused, so a search holding an id from before a replace can never
        -- pick up another video's segment that took the same id.
        CREATE TABLE IF NOT EXISTS search_segments (
            id                INTEGER PRIMARY KEY AUTOINCREMENT,
            video_id          TEXT NOT NULL,
            segment_index     INTEGER NOT NULL,
            category_id       TEXT NOT NULL,
            start_seconds     REAL NOT NULL,
            end_seconds       REAL NOT NULL,
            segment_keywords  TEXT NOT NULL,
            UNIQUE (video_id, segment_index)
        );
        CREATE INDEX IF NOT EXISTS search_segments_category ON search_segments (category_id);
        CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5 (
            title, keywords, description, transcript, ocr, caption, scope,
            tokenize = 'porter unicode61 remove_diacritics 2'
        );
        -- Vectors in their own table keep search_segments rows small for the joins of the BM25 leg.
        CREATE TABLE IF NOT EXISTS search_vectors (
            segment_id       INTEGER PRIMARY KEY,
            text_embedding   BLOB,
            image_embedding  BLOB
        );
        -- The int8 codes the in-memory index scans (QuantizedVector blobs), in their own table so the start-up load
        -- reads a quarter of the bytes of search_vectors; written with the vectors in one transaction, and filled from
        -- search_vectors on start for rows written before this table existed.
        CREATE TABLE IF NOT EXISTS search_vector_codes (
            segment_id  INTEGER PRIMARY KEY,
            text_code   BLOB,
            image_code  BLOB
        );
        """;

    /// <summary>
    /// Access filters of the statement that reads hit rows: the BM25 leg already filtered in its MATCH and the vector
    /// legs before scoring, so this is a second line of defence, not the access control itself.
    /// </summary>
    private const string FilterSql = """
        ($scoped = 0 OR s.category_id IN (SELECT value FROM json_each($categories)))
        AND ($category IS NULL OR s.category_id = $category)
        AND ($video IS NULL OR s.video_id = $video)
        AND ($videos IS NULL OR s.video_id IN (SELECT value FROM json_each($videos)))
        """;

    /// <summary>
    /// The date filter of the BM25 leg when too many videos are in and out of the range for video tokens in the MATCH
    /// (<see cref="SearchOptions.DateFilterTokenLimit"/>): only segments of the videos in <c>$videos</c>. The unary plus
    /// keeps SQLite from handing the IN list to FTS5 as rowid lookups (one MATCH evaluation per id); as a plain condition
    /// it is checked per match against a set built once per statement.
    /// </summary>
    private const string DateSql = """
         AND +rowid IN (SELECT id FROM search_segments WHERE video_id IN (SELECT value FROM json_each($videos)))
        """;

    /// <summary>
    /// Ranks every match by BM25 and keeps the best <c>$limit</c> after <c>$offset</c>: SQLite's sorter keeps only that
    /// many rows for an ORDER BY with a LIMIT, so the cost is one bm25() per match and no more memory than a page.
    /// Ties go to the lower rowid, so equal scores always come back in the same order.
    /// </summary>
    private static string TextLegSql(bool dated) => $"""
        SELECT rowid, {Bm25} AS score FROM search_text
        WHERE search_text MATCH $match{(dated ? DateSql : "")}
        ORDER BY score, rowid
        LIMIT $limit OFFSET $offset
        """;

    private static string CountSql(bool dated) =>
        $"SELECT count(*) FROM search_text WHERE search_text MATCH $match{(dated ? DateSql : "")}";

    /// <summary>Every video and whether it was created within the range; the bounds are ISO 8601 text, compared as
    /// instants whatever offset they were written with.</summary>
    private const string VideosCreatedSql = """
        SELECT video_id,
               ($from IS NULL OR julianday(created_at) >= julianday($from))
               AND ($to IS NULL OR julianday(created_at) <= julianday($to))
        FROM search_videos
        """;

    private static readonly string SnippetSql = $"""
        SELECT rowid,
               {string.Join(",\n       ", Enumerable.Range(0, 6).Select(c => $"snippet(search_text, {c}, char(1), char(2), '…', {SnippetTokens})"))}
        FROM search_text
        WHERE search_text MATCH $match AND rowid IN (SELECT value FROM json_each($ids))
        """;

    private static readonly string HitSql = $"""
        SELECT s.id, s.video_id, s.segment_index, s.category_id, s.start_seconds, s.end_seconds, v.title,
               substr(coalesce(nullif(t.transcript, ''), nullif(t.ocr, ''), nullif(t.caption, ''), ''), 1, {SnippetMarkup.HeadLength + 40})
        FROM search_segments s
        JOIN search_videos v ON v.video_id = s.video_id
        JOIN search_text t ON t.rowid = s.id
        WHERE s.id IN (SELECT value FROM json_each($ids)) AND {FilterSql}
        """;

    private readonly string _connectionString;
    private readonly SearchOptions _options;
    private readonly ILogger<SqliteSearchIndex> _logger;
    private readonly VectorIndex _textVectors = new();
    private readonly VectorIndex _imageVectors = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private volatile bool _initialized;
    private int _disposed;
    /// <summary>The start-up load of the vector codes, which runs after <see cref="InitializeAsync"/> has returned.</summary>
    private Task _vectorsLoaded = Task.CompletedTask;

    private readonly VectorLoadGate? _loadGate;

    /// <param name="loadGate">Holds the start-up vector load (tests only); null loads at once.</param>
    public SqliteSearchIndex(IOptions<VeekyOptions> veeky, IOptions<SearchOptions> options, ILogger<SqliteSearchIndex> logger,
        VectorLoadGate? loadGate = null)
    {
        _loadGate = loadGate;
        DatabasePath = Path.Combine(Path.GetFullPath(veeky.Value.DataDirectory), "search.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Full path of search.db.</summary>
    public string DatabasePath { get; }

    /// <summary>Bytes held in memory by the text and image vector indexes.</summary>
    public long VectorMemoryBytes => _textVectors.MemoryBytes + _imageVectors.MemoryBytes;

    /// <summary>
    /// Null once the vectors are loaded (every search and write can run); while they load, a sentence saying so for
    /// /health. Text searches answer meanwhile; vector searches and writes wait for the load.
    /// </summary>
    public string? LoadingStatus => _vectorsLoaded.Status switch
    {
        TaskStatus.RanToCompletion => null,
        TaskStatus.Faulted or TaskStatus.Canceled =>
            $"Loading the vectors of the search index failed: {_vectorsLoaded.Exception?.GetBaseException().Message ?? "cancelled"}.",
        _ => $"The search index is loading its vectors ({_textVectors.Count + _imageVectors.Count:N0} so far); vector searches wait for it.",
    };

    /// <summary>Whether loading the vectors failed (see <see cref="LoadingStatus"/> for why).</summary>
    public bool VectorsLoadFailed => _vectorsLoaded.IsFaulted;

    /// <summary>Completes when the vectors are loaded (for callers that must not see a partial vector index).</summary>
    public Task WhenVectorsLoadedAsync(CancellationToken ct = default) => _vectorsLoaded.WaitAsync(ct);

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        if (_initialized)
        {
            return;
        }
        await _initializeLock.WaitAsync(ct);
        try
        {
            if (_initialized)
            {
                return;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
            await using var connection = await OpenAsync(ct);
            // WAL is a property of the file: set once, every later connection uses it.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", ct);
            await ExecuteAsync(connection, null, Schema, ct);
            // The vectors load in the background, so a host with a large library answers /alive in a moment: at 1.2
            // million moments the codes are 470 MB to read. A failed load is logged, fails vector searches and writes with
            // its error, and makes /health unhealthy; restarting the host retries it.
            _vectorsLoaded = Task.Run(() => LoadVectorsAsync(_disposing.Token), CancellationToken.None);
            _initialized = true;
            _logger.LogInformation("Search index {Path} open; loading its vectors", DatabasePath);
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    public async Task ReplaceVideoAsync(VideoDocument video, IReadOnlyList<SegmentDocument> segments, CancellationToken ct = default)
    {
        await InitializeAsync(ct);
        var textVectors = segments.Select(s => s.TextEmbedding is null ? null : VectorIndex.Normalize(s.TextEmbedding)).ToArray();
        var imageVectors = segments.Select(s => s.ImageEmbedding is null ? null : VectorIndex.Normalize(s.ImageEmbedding)).ToArray();

        await WhenVectorsLoadedAsync(ct);
        await _writeLock.WaitAsync(ct);
        try
        {
            // Checked under the write lock: once the transaction commits, the in-memory half must not be able to fail.
            EnsureDimensions(_textVectors, textVectors, video.VideoId, "text");
            EnsureDimensions(_imageVectors, imageVectors, video.VideoId, "image");
            await using var connection = await OpenAsync(ct);
            await using var transaction = connection.BeginTransaction(deferred: false);
            await DeleteRowsAsync(connection, transaction, video.VideoId, ct);
            await UpsertVideoRowAsync(connection, transaction, video, ct);

            await using var insertSegment = Command(connection, transaction, """
                INSERT INTO search_segments (video_id, segment_index, category_id, start_seconds, end_seconds, segment_keywords)
                VALUES ($video, $index, $category, $start, $end, $keywords)
                RETURNING id
                """);
            await using var insertText = Command(connection, transaction, """
                INSERT INTO search_text (rowid, title, keywords, description, transcript, ocr, caption, scope)
                VALUES ($id, $title, $keywords, $description, $transcript, $ocr, $caption, $scope)
                """);
            await using var insertVectors = Command(connection, transaction, """
                INSERT INTO search_vectors (segment_id, text_embedding, image_embedding) VALUES ($id, $text, $image);
                INSERT INTO search_vector_codes (segment_id, text_code, image_code) VALUES ($id, $textCode, $imageCode);
                """);

            var textEntries = new List<VectorEntry>();
            var imageEntries = new List<VectorEntry>();
            var videoFields = VideoFields.From(video);
            for (var i = 0; i < segments.Count; i++)
            {
                var segment = segments[i];
                var segmentKeywords = JoinKeywords([], segment.Keywords);
                insertSegment.Parameters.Clear();
                insertSegment.Parameters.AddWithValue("$video", Key(video.VideoId));
                insertSegment.Parameters.AddWithValue("$index", segment.SegmentIndex);
                insertSegment.Parameters.AddWithValue("$category", Key(video.CategoryId));
                insertSegment.Parameters.AddWithValue("$start", segment.Start);
                insertSegment.Parameters.AddWithValue("$end", segment.End);
                insertSegment.Parameters.AddWithValue("$keywords", segmentKeywords);
                var id = (long)(await insertSegment.ExecuteScalarAsync(ct))!;

                insertText.Parameters.Clear();
                insertText.Parameters.AddWithValue("$id", id);
                insertText.Parameters.AddWithValue("$title", videoFields.Title);
                insertText.Parameters.AddWithValue("$keywords", JoinKeywords(video.Keywords, segment.Keywords));
                insertText.Parameters.AddWithValue("$description", videoFields.Description);
                insertText.Parameters.AddWithValue("$transcript", SnippetMarkup.Clean(segment.Transcript));
                insertText.Parameters.AddWithValue("$ocr", SnippetMarkup.Clean(segment.OcrText));
                insertText.Parameters.AddWithValue("$caption", SnippetMarkup.Clean(segment.Caption));
                insertText.Parameters.AddWithValue("$scope", ScopeTokens(video));
                await insertText.ExecuteNonQueryAsync(ct);

                if (textVectors[i] is not null || imageVectors[i] is not null)
                {
                    insertVectors.Parameters.Clear();
                    insertVectors.Parameters.AddWithValue("$id", id);
                    insertVectors.Parameters.AddWithValue("$text", ToBlob(textVectors[i]));
                    insertVectors.Parameters.AddWithValue("$image", ToBlob(imageVectors[i]));
                    insertVectors.Parameters.AddWithValue("$textCode", CodeBlob(textVectors[i]));
                    insertVectors.Parameters.AddWithValue("$imageCode", CodeBlob(imageVectors[i]));
                    await insertVectors.ExecuteNonQueryAsync(ct);
                }
                if (textVectors[i] is { } text)
                {
                    textEntries.Add(new VectorEntry(id, video.VideoId, video.CategoryId, text));
                }
                if (imageVectors[i] is { } image)
                {
                    imageEntries.Add(new VectorEntry(id, video.VideoId, video.CategoryId, image));
                }
            }
            await transaction.CommitAsync(ct);

            // Still under the write lock, so two replaces of one video cannot interleave their in-memory halves.
            _textVectors.ReplaceVideo(video.VideoId, textEntries);
            _imageVectors.ReplaceVideo(video.VideoId, imageEntries);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task UpdateVideoAsync(VideoDocument video, CancellationToken ct = default)
    {
        await InitializeAsync(ct);
        await WhenVectorsLoadedAsync(ct);
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var transaction = connection.BeginTransaction(deferred: false);
            await UpsertVideoRowAsync(connection, transaction, video, ct);

            var segmentKeywords = new List<(long Id, string Keywords)>();
            await using (var select = Command(connection, transaction,
                "SELECT id, segment_keywords FROM search_segments WHERE video_id = $video"))
            {
                select.Parameters.AddWithValue("$video", Key(video.VideoId));
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    segmentKeywords.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }

            await using (var moveCategory = Command(connection, transaction,
                "UPDATE search_segments SET category_id = $category WHERE video_id = $video"))
            {
                moveCategory.Parameters.AddWithValue("$category", Key(video.CategoryId));
                moveCategory.Parameters.AddWithValue("$video", Key(video.VideoId));
                await moveCategory.ExecuteNonQueryAsync(ct);
            }

            var videoFields = VideoFields.From(video);
            await using var updateText = Command(connection, transaction, """
                UPDATE search_text SET title = $title, keywords = $keywords, description = $description, scope = $scope
                WHERE rowid = $id
                """);
            foreach (var (id, keywords) in segmentKeywords)
            {
                updateText.Parameters.Clear();
                updateText.Parameters.AddWithValue("$title", videoFields.Title);
                updateText.Parameters.AddWithValue("$keywords", JoinKeywords(video.Keywords, SplitKeywords(keywords)));
                updateText.Parameters.AddWithValue("$description", videoFields.Description);
                updateText.Parameters.AddWithValue("$scope", ScopeTokens(video));
                updateText.Parameters.AddWithValue("$id", id);
                await updateText.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);

            _textVectors.SetCategory(video.VideoId, video.CategoryId);
            _imageVectors.SetCategory(video.VideoId, video.CategoryId);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default)
    {
        await InitializeAsync(ct);
        await WhenVectorsLoadedAsync(ct);
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var transaction = connection.BeginTransaction(deferred: false);
            await DeleteRowsAsync(connection, transaction, videoId, ct);
            await transaction.CommitAsync(ct);
            _textVectors.RemoveVideo(videoId);
            _imageVectors.RemoveVideo(videoId);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Replaces every video given, then deletes the videos that were indexed when the rebuild began and were not
    /// rewritten. Only that snapshot is pruned, so a video an indexer finishes meanwhile stays.</summary>
    public async Task<int> RebuildAsync(IAsyncEnumerable<(VideoDocument Video, IReadOnlyList<SegmentDocument> Segments)> videos,
        CancellationToken ct = default)
    {
        await InitializeAsync(ct);
        var before = new HashSet<Guid>();
        await using (var connection = await OpenAsync(ct))
        await using (var select = Command(connection, null, "SELECT video_id FROM search_videos"))
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                before.Add(Guid.Parse(reader.GetString(0)));
            }
        }
        var count = 0;
        await foreach (var (video, segments) in videos.WithCancellation(ct))
        {
            await ReplaceVideoAsync(video, segments, ct);
            before.Remove(video.VideoId);
            count++;
        }
        foreach (var stale in before)
        {
            await DeleteVideoAsync(stale, ct);
        }
        _logger.LogInformation("Rebuilt the search index from {Count} videos ({Stale} stale removed)", count, before.Count);
        return count;
    }

    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken ct = default)
    {
        await InitializeAsync(ct);
        if (request.Mode != SearchMode.Text)
        {
            await WhenVectorsLoadedAsync(ct);
        }
        var plan = SearchPlan.For(request, _textVectors.Count > 0, _imageVectors.Count > 0);
        var limit = Math.Clamp(request.Limit, 0, 1000);
        var offset = Math.Max(0, request.Offset);
        var filter = new VectorFilter(request.Scope.CategoryFilter, request.CategoryId, request.VideoId);
        var terms = FtsQuery.Terms(request.Query);
        // A semantic search compares vectors only, so it needs no words: a picture or a moment is the query then.
        if (terms.Count == 0 && string.IsNullOrWhiteSpace(request.Query) && plan.Mode != SearchMode.Semantic || limit == 0 || !plan.Runs
            || filter.Categories is { Count: 0 }
            || request.CategoryId is { } category && filter.Categories is { } visible && !visible.Contains(category))
        {
            return new SearchResult(plan.Mode, 0, []);
        }

        await using var connection = await OpenAsync(ct);
        // One read transaction: the count, the ranking and the snippets all come from the same snapshot.
        await using var transaction = connection.BeginTransaction(deferred: true);
        var dates = DateMatch.None;
        if (request.HasDateFilter)
        {
            var (within, outside) = await VideosByCreationAsync(connection, transaction, request, ct);
            if (within.Count == 0)
            {
                return new SearchResult(plan.Mode, 0, []);
            }
            // A range holding every video filters nothing.
            if (outside.Count > 0)
            {
                filter = filter with { Videos = within };
                dates = DateMatch.For(within, outside, _options.DateFilterTokenLimit);
            }
        }
        var prefixLast = FtsQuery.EndsInWord(request.Query);

        if (plan.Mode == SearchMode.Text)
        {
            var text = await RunTextLegAsync(connection, transaction, terms, prefixLast, filter, dates, limit, offset, ct);
            var hits = await BuildHitsAsync(connection, transaction, text.Match, Relevance(text.Hits), filter, ct);
            return new SearchResult(SearchMode.Text, text.Total, hits);
        }

        var candidates = Math.Max(limit + offset, _options.CandidateCount);
        var legs = new List<FusionLeg>();
        TextLeg? textLeg = null;
        if (plan.Mode == SearchMode.Hybrid)
        {
            textLeg = await RunTextLegAsync(connection, transaction, terms, prefixLast, filter, dates, candidates, 0, ct);
            legs.Add(new FusionLeg(Relevance(textLeg.Hits), _options.TextWeight));
        }
        if (request.QueryEmbedding is { } queryText && VectorIndex.Normalize(queryText) is { } textQuery)
        {
            var hits = await NearestAsync(connection, transaction, _textVectors, "text_embedding", textQuery, candidates, filter, ct);
            legs.Add(new FusionLeg(hits, _options.SemanticWeight));
        }
        if (request.QueryImageEmbedding is { } queryImage && VectorIndex.Normalize(queryImage) is { } imageQuery)
        {
            var hits = await NearestAsync(connection, transaction, _imageVectors, "image_embedding", imageQuery, candidates, filter, ct);
            legs.Add(new FusionLeg(hits, _options.ImageWeight));
        }
        var fused = HybridFusion.Fuse(legs, _options.Fusion, _options.RankConstant);
        var page = fused.Skip(offset).Take(limit).ToList();
        var pageHits = await BuildHitsAsync(connection, transaction, textLeg?.Match, page, filter, ct);

        // Total counts every segment the words match, plus the ones found by meaning alone among the candidates.
        var textIds = textLeg?.Hits.Select(h => h.Id).ToHashSet() ?? [];
        var total = (textLeg?.Total ?? 0) + fused.Count(f => !textIds.Contains(f.Id));
        return new SearchResult(plan.Mode, total, pageHits);
    }

    public async Task<bool> PingAsync(CancellationToken ct = default)
    {
        try
        {
            await InitializeAsync(ct);
            await using var connection = await OpenAsync(ct);
            await using var command = Command(connection, null, "SELECT count(*) FROM search_videos WHERE 0");
            await command.ExecuteScalarAsync(ct);
            return true;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Search index {Path} does not answer", DatabasePath);
            return false;
        }
    }

    public void Dispose()
    {
        // The container disposes the singleton once per registration it is resolved under.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        // A load still running holds a connection: stop it before letting go of the file.
        _disposing.Cancel();
        try
        {
            _vectorsLoaded.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Cancelled or failed: either way it no longer reads the file.
        }
        // Pooled connections keep the file open; a disposed index must let go of it (tests reopen and delete it).
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _writeLock.Dispose();
        _initializeLock.Dispose();
        _disposing.Dispose();
    }

    /// <summary>
    /// The vector leg: the best <see cref="SearchOptions.RescoredCandidates"/> (at least <paramref name="k"/>) by the
    /// int8 codes, then those rescored with their float32 vectors read from search.db, best <paramref name="k"/> first.
    /// The codes rank the true neighbours among the first few hundred, the floats put them in exact order, so the leg
    /// answers as an exact float32 scan would without holding or reading every float vector.
    /// </summary>
    private async Task<IReadOnlyList<ScoredId>> NearestAsync(SqliteConnection connection, SqliteTransaction transaction,
        VectorIndex index, string column, float[] query, int k, VectorFilter filter, CancellationToken ct)
    {
        var approximate = index.Search(query, Math.Max(k, _options.RescoredCandidates), filter);
        if (approximate.Count == 0)
        {
            return [];
        }
        var exact = new List<ScoredId>(approximate.Count);
        await using var select = Command(connection, transaction,
            $"SELECT segment_id, {column} FROM search_vectors WHERE segment_id IN (SELECT value FROM json_each($ids))");
        select.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(approximate.Select(h => h.Id)));
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            // A row replaced since the scan has no vector in this snapshot; it would not be a hit anyway.
            if (reader.IsDBNull(1))
            {
                continue;
            }
            var vector = MemoryMarshal.Cast<byte, float>(reader.GetFieldValue<byte[]>(1));
            if (vector.Length == query.Length)
            {
                exact.Add(new ScoredId(reader.GetInt64(0), TensorPrimitives.Dot(query, vector)));
            }
        }
        return exact.OrderByDescending(h => h.Score).ThenBy(h => h.Id).Take(k).ToList();
    }

    /// <summary>
    /// The BM25 leg, a ladder of ever looser expressions, stopping at the first that finds anything: all words as
    /// typed; then all words with the last one also as a prefix (search as you type); then any word as typed. People type a few
    /// words expecting all of them, and OR alone would rank a segment repeating one word above one holding every word;
    /// the fallback keeps long or partly misspelt queries from coming back empty. The prefix step runs only when the
    /// last word is not itself in the index (so it is still being typed), and the OR step has no prefix: expanding a
    /// short prefix merges the posting lists of every word starting with it, which costs more than the exact query.
    /// </summary>
    private async Task<TextLeg> RunTextLegAsync(SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyList<string> terms, bool prefixLast, VectorFilter filter, DateMatch dates, int limit, int offset, CancellationToken ct)
    {
        var leg = new TextLeg(null, [], 0);
        if (terms.Count == 0)
        {
            return leg;
        }
        leg = await RankAsync(connection, transaction, Match(FtsQuery.Build(terms, requireAll: true, prefixLast: false)!, filter), filter, dates, limit, offset, ct);
        if (leg.Total == 0 && prefixLast && terms[^1].Length >= FtsQuery.MinPrefixLength
            && !await IsIndexedAsync(connection, transaction, Match(FtsQuery.Quote(terms[^1]), filter), ct))
        {
            leg = await RankAsync(connection, transaction, Match(FtsQuery.Build(terms, requireAll: true, prefixLast: true)!, filter), filter, dates, limit, offset, ct);
        }
        if (leg.Total == 0 && terms.Count > 1)
        {
            leg = await RankAsync(connection, transaction, Match(FtsQuery.Build(terms, requireAll: false, prefixLast: false)!, filter), filter, dates, limit, offset, ct);
        }
        return leg;
    }

    private async Task<TextLeg> RankAsync(SqliteConnection connection, SqliteTransaction transaction,
        string match, VectorFilter filter, DateMatch dates, int limit, int offset, CancellationToken ct)
    {
        var hits = new List<ScoredId>();
        match = dates.Apply(match);
        var dated = filter.Videos is not null && !dates.InMatch;
        await using (var rank = Command(connection, transaction, TextLegSql(dated)))
        {
            rank.Parameters.AddWithValue("$match", match);
            AddVideos(rank, filter);
            rank.Parameters.AddWithValue("$limit", limit);
            rank.Parameters.AddWithValue("$offset", offset);
            await using var reader = await rank.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                hits.Add(new ScoredId(reader.GetInt64(0), reader.GetDouble(1)));
            }
        }
        // A short first page is its own count; only a full page (or a later one) needs the count query.
        if (offset == 0 && hits.Count < limit)
        {
            return new TextLeg(match, hits, hits.Count);
        }
        await using var count = Command(connection, transaction, CountSql(dated));
        count.Parameters.AddWithValue("$match", match);
        AddVideos(count, filter);
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(ct));
        return new TextLeg(match, hits, total);
    }

    /// <summary>The indexed videos created within the request's date range, and the others.</summary>
    private static async Task<(HashSet<Guid> Within, List<Guid> Outside)> VideosByCreationAsync(SqliteConnection connection,
        SqliteTransaction transaction, SearchRequest request, CancellationToken ct)
    {
        await using var select = Command(connection, transaction, VideosCreatedSql);
        select.Parameters.AddWithValue("$from", Instant(request.CreatedFrom));
        select.Parameters.AddWithValue("$to", Instant(request.CreatedTo));
        var within = new HashSet<Guid>();
        var outside = new List<Guid>();
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var video = Guid.Parse(reader.GetString(0));
            if (reader.GetInt64(1) != 0)
            {
                within.Add(video);
            }
            else
            {
                outside.Add(video);
            }
        }
        return (within, outside);
    }

    private static object Instant(DateTimeOffset? value) =>
        value is { } instant ? instant.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture) : DBNull.Value;

    /// <summary>
    /// Whether the word occurs in what the caller may see, that is, whether it is a finished word. Scoped like every
    /// other statement, so the answer cannot reveal words that exist only in hidden categories.
    /// </summary>
    private static async Task<bool> IsIndexedAsync(SqliteConnection connection, SqliteTransaction transaction, string match, CancellationToken ct)
    {
        await using var exists = Command(connection, transaction, "SELECT 1 FROM search_text WHERE search_text MATCH $match LIMIT 1");
        exists.Parameters.AddWithValue("$match", match);
        return await exists.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>The user's words confined to the text columns, ANDed with the scope tokens the caller may see.</summary>
    private static string Match(string words, VectorFilter filter)
    {
        var match = $"({words})";
        if (filter.Categories is { } categories)
        {
            match += $" AND scope : ({string.Join(" OR ", categories.Select(c => FtsQuery.Quote(CategoryToken(c))))})";
        }
        if (filter.CategoryId is { } category)
        {
            match += $" AND scope : {FtsQuery.Quote(CategoryToken(category))}";
        }
        if (filter.VideoId is { } video)
        {
            match += $" AND scope : {FtsQuery.Quote(VideoToken(video))}";
        }
        return match;
    }

    /// <summary>The scope column of a video's segments: one token for its category, one for itself.</summary>
    private static string ScopeTokens(VideoDocument video) => $"{CategoryToken(video.CategoryId)} {VideoToken(video.VideoId)}";

    // U+E000 (private use) starts every scope token: unicode61 keeps it inside the token, user words cannot contain it
    // (see FtsQuery) and indexed text has it removed. The trailing digit keeps the porter stemmer from trimming an id
    // that happens to end in a suffix such as "ed" or "e".
    private static string CategoryToken(Guid categoryId) => $"{SnippetMarkup.ScopeMark}c{categoryId:N}0";

    private static string VideoToken(Guid videoId) => $"{SnippetMarkup.ScopeMark}v{videoId:N}0";

    /// <summary>Turns ranked ids into hits: segment and video fields, then snippets and matched fields from FTS5.</summary>
    private static async Task<IReadOnlyList<SearchHit>> BuildHitsAsync(SqliteConnection connection, SqliteTransaction transaction,
        string? match, IReadOnlyList<ScoredId> ranked, VectorFilter filter, CancellationToken ct)
    {
        if (ranked.Count == 0)
        {
            return [];
        }
        var ids = JsonSerializer.Serialize(ranked.Select(r => r.Id));

        var rows = new Dictionary<long, HitRow>();
        await using (var select = Command(connection, transaction, HitSql))
        {
            select.Parameters.AddWithValue("$ids", ids);
            AddFilter(select, filter);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows[reader.GetInt64(0)] = new HitRow(
                    Guid.Parse(reader.GetString(1)), reader.GetInt32(2), Guid.Parse(reader.GetString(3)),
                    reader.GetDouble(4), reader.GetDouble(5), reader.GetString(6), reader.GetString(7));
            }
        }

        var highlights = new Dictionary<long, (string Snippet, IReadOnlyList<string> Fields)>();
        if (match is not null)
        {
            await using var snippets = Command(connection, transaction, SnippetSql);
            snippets.Parameters.AddWithValue("$match", match);
            snippets.Parameters.AddWithValue("$ids", ids);
            await using var reader = await snippets.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var columns = new string[ColumnFields.Length];
                for (var c = 0; c < columns.Length; c++)
                {
                    columns[c] = reader.IsDBNull(c + 1) ? "" : reader.GetString(c + 1);
                }
                highlights[reader.GetInt64(0)] = Highlight(columns);
            }
        }

        var hits = new List<SearchHit>(ranked.Count);
        foreach (var (id, score) in ranked)
        {
            // A segment replaced or deleted since the vector leg ran is simply not a hit any more.
            if (!rows.TryGetValue(id, out var row))
            {
                continue;
            }
            var (snippet, fields) = highlights.TryGetValue(id, out var highlight)
                ? highlight
                : (SnippetMarkup.Head(row.Head), (IReadOnlyList<string>)[]);
            hits.Add(new SearchHit(row.VideoId, row.VideoTitle, row.CategoryId, row.SegmentIndex, row.Start, row.End,
                score, snippet, fields));
        }
        return hits;
    }

    /// <summary>The snippet from the best matching column and the fields that matched, in API.md's order.</summary>
    private static (string Snippet, IReadOnlyList<string> Fields) Highlight(string[] columns)
    {
        var matched = new HashSet<string>();
        for (var c = 0; c < columns.Length; c++)
        {
            if (SnippetMarkup.HasMatch(columns[c]))
            {
                matched.Add(ColumnFields[c]);
            }
        }
        var best = SnippetColumnPreference.FirstOrDefault(c => SnippetMarkup.HasMatch(columns[c]), 3);
        var fields = new[] { SearchFields.Title, SearchFields.Description, SearchFields.Keywords,
            SearchFields.Transcript, SearchFields.Ocr, SearchFields.Caption }.Where(matched.Contains).ToList();
        return (SnippetMarkup.ToHtml(columns[best]), fields);
    }

    private static void AddFilter(SqliteCommand command, VectorFilter filter)
    {
        command.Parameters.AddWithValue("$scoped", filter.Categories is null ? 0 : 1);
        command.Parameters.AddWithValue("$categories", JsonSerializer.Serialize((filter.Categories ?? new HashSet<Guid>()).Select(Key)));
        command.Parameters.AddWithValue("$category", filter.CategoryId is { } c ? Key(c) : DBNull.Value);
        command.Parameters.AddWithValue("$video", filter.VideoId is { } v ? Key(v) : DBNull.Value);
        AddVideos(command, filter);
    }

    private static void AddVideos(SqliteCommand command, VectorFilter filter) =>
        command.Parameters.AddWithValue("$videos", filter.Videos is { } videos ? JsonSerializer.Serialize(videos.Select(Key)) : DBNull.Value);

    private static async Task DeleteRowsAsync(SqliteConnection connection, SqliteTransaction transaction, Guid videoId, CancellationToken ct)
    {
        await using var delete = Command(connection, transaction, """
            DELETE FROM search_text WHERE rowid IN (SELECT id FROM search_segments WHERE video_id = $video);
            DELETE FROM search_vectors WHERE segment_id IN (SELECT id FROM search_segments WHERE video_id = $video);
            DELETE FROM search_vector_codes WHERE segment_id IN (SELECT id FROM search_segments WHERE video_id = $video);
            DELETE FROM search_segments WHERE video_id = $video;
            DELETE FROM search_videos WHERE video_id = $video;
            """);
        delete.Parameters.AddWithValue("$video", Key(videoId));
        await delete.ExecuteNonQueryAsync(ct);
    }

    private static async Task UpsertVideoRowAsync(SqliteConnection connection, SqliteTransaction transaction, VideoDocument video, CancellationToken ct)
    {
        await using var upsert = Command(connection, transaction, """
            INSERT INTO search_videos (video_id, category_id, title, description, keywords, summary, created_at)
            VALUES ($video, $category, $title, $description, $keywords, $summary, $created)
            ON CONFLICT (video_id) DO UPDATE SET category_id = excluded.category_id, title = excluded.title,
                description = excluded.description, keywords = excluded.keywords, summary = excluded.summary
            """);
        upsert.Parameters.AddWithValue("$video", Key(video.VideoId));
        upsert.Parameters.AddWithValue("$category", Key(video.CategoryId));
        upsert.Parameters.AddWithValue("$title", video.Title);
        upsert.Parameters.AddWithValue("$description", (object?)video.Description ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$keywords", JoinKeywords(video.Keywords, []));
        upsert.Parameters.AddWithValue("$summary", (object?)video.Summary ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$created", video.CreatedAt.ToString("O"));
        await upsert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Fills the in-memory indexes from the stored codes, first coding any vectors stored without them.</summary>
    private async Task LoadVectorsAsync(CancellationToken ct)
    {
        if (_loadGate is not null)
        {
            await _loadGate.WaitAsync(ct);
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var coded = await CodeMissingVectorsAsync(ct);
            await using var connection = await OpenAsync(ct);
            await using var select = Command(connection, null, """
                SELECT c.segment_id, s.video_id, s.category_id, c.text_code, c.image_code
                FROM search_vector_codes c JOIN search_segments s ON s.id = c.segment_id
                """);
            await using var reader = await select.ExecuteReaderAsync(ct);
            // Videos and categories repeat for every segment: parse each GUID once.
            var guids = new Dictionary<string, Guid>();
            Guid Parse(string text) => guids.TryGetValue(text, out var id) ? id : guids[text] = Guid.Parse(text);
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetInt64(0);
                var videoId = Parse(reader.GetString(1));
                var categoryId = Parse(reader.GetString(2));
                if (!reader.IsDBNull(3))
                {
                    _textVectors.Add(id, videoId, categoryId, QuantizedVector.FromBlob(reader.GetFieldValue<byte[]>(3)));
                }
                if (!reader.IsDBNull(4))
                {
                    _imageVectors.Add(id, videoId, categoryId, QuantizedVector.FromBlob(reader.GetFieldValue<byte[]>(4)));
                }
            }
            _logger.LogInformation("Search index {Path}: {TextVectors} text and {ImageVectors} image vectors loaded in {Seconds:F1} s ({Coded} coded first)",
                DatabasePath, _textVectors.Count, _imageVectors.Count, watch.Elapsed.TotalSeconds, coded);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Loading the vectors of search index {Path} failed", DatabasePath);
            throw;
        }
    }

    /// <summary>
    /// Writes the int8 codes of vectors stored without them (an index from before search_vector_codes existed), in
    /// batches under the write lock so a replace never interleaves. Returns how many rows were coded.
    /// </summary>
    private async Task<int> CodeMissingVectorsAsync(CancellationToken ct)
    {
        const int Batch = 4096;
        var total = 0;
        while (true)
        {
            await _writeLock.WaitAsync(ct);
            try
            {
                await using var connection = await OpenAsync(ct);
                await using var transaction = connection.BeginTransaction(deferred: false);
                var rows = new List<(long Id, object Text, object Image)>();
                await using (var select = Command(connection, transaction, $"""
                    SELECT v.segment_id, v.text_embedding, v.image_embedding FROM search_vectors v
                    WHERE NOT EXISTS (SELECT 1 FROM search_vector_codes c WHERE c.segment_id = v.segment_id)
                    LIMIT {Batch}
                    """))
                await using (var reader = await select.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        rows.Add((reader.GetInt64(0),
                            reader.IsDBNull(1) ? DBNull.Value : CodeBlob(FromBlob(reader.GetFieldValue<byte[]>(1))),
                            reader.IsDBNull(2) ? DBNull.Value : CodeBlob(FromBlob(reader.GetFieldValue<byte[]>(2)))));
                    }
                }
                if (rows.Count == 0)
                {
                    return total;
                }
                await using var insert = Command(connection, transaction,
                    "INSERT INTO search_vector_codes (segment_id, text_code, image_code) VALUES ($id, $text, $image)");
                foreach (var (id, text, image) in rows)
                {
                    insert.Parameters.Clear();
                    insert.Parameters.AddWithValue("$id", id);
                    insert.Parameters.AddWithValue("$text", text);
                    insert.Parameters.AddWithValue("$image", image);
                    await insert.ExecuteNonQueryAsync(ct);
                }
                await transaction.CommitAsync(ct);
                total += rows.Count;
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }

    private static void EnsureDimensions(VectorIndex index, float[]?[] vectors, Guid videoId, string kind)
    {
        var dimensions = vectors.OfType<float[]>().Select(v => v.Length).Distinct().ToList();
        if (dimensions.Count > 1 || dimensions.Count == 1 && !index.Accepts(dimensions[0]))
        {
            throw new ArgumentException(
                $"Video {videoId} brings {kind} embeddings of {string.Join(" and ", dimensions)} dimensions, but the index " +
                $"holds {index.Dimension}-dimension {kind} embeddings. Reindex every video after changing the embedding model.");
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Key(Guid id) => id.ToString("D");

    /// <summary>FTS5's bm25() is lower-is-better; hits carry higher-is-better scores.</summary>
    private static IReadOnlyList<ScoredId> Relevance(IReadOnlyList<ScoredId> bm25) => bm25.Select(h => h with { Score = -h.Score }).ToList();

    private static string JoinKeywords(IReadOnlyList<string> videoKeywords, IReadOnlyList<string> segmentKeywords) =>
        string.Join(", ", videoKeywords.Concat(segmentKeywords)
            .Select(k => SnippetMarkup.Clean(k).Trim())
            .Where(k => k.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase));

    private static IReadOnlyList<string> SplitKeywords(string keywords) =>
        keywords.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static object ToBlob(float[]? vector) =>
        vector is null ? DBNull.Value : MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    private static float[] FromBlob(byte[] blob) => MemoryMarshal.Cast<byte, float>(blob).ToArray();

    private static object CodeBlob(float[]? vector) => vector is null ? DBNull.Value : QuantizedVector.From(vector).ToBlob();

    /// <summary>
    /// How the BM25 leg applies a date filter: as video tokens in the MATCH (the videos in the range, or NOT the videos
    /// outside it, whichever list is shorter) when that list is short, else (<see cref="InMatch"/> false) through the
    /// statement's segment-id set (<see cref="DateSql"/>).
    /// </summary>
    private sealed record DateMatch(string? Clause)
    {
        public static readonly DateMatch None = new((string?)null);

        public bool InMatch => Clause is not null;

        public static DateMatch For(IReadOnlyCollection<Guid> within, IReadOnlyCollection<Guid> outside, int tokenLimit)
        {
            static string Tokens(IEnumerable<Guid> videos) => string.Join(" OR ", videos.Select(v => FtsQuery.Quote(VideoToken(v))));
            if (within.Count <= outside.Count && within.Count <= tokenLimit)
            {
                return new($" AND scope : ({Tokens(within)})");
            }
            if (outside.Count <= tokenLimit)
            {
                return new($" NOT scope : ({Tokens(outside)})");
            }
            return None;
        }

        /// <summary>The MATCH expression with the date clause, the rest of it kept together in parentheses.</summary>
        public string Apply(string match) => Clause is null ? match : $"({match}){Clause}";
    }

    /// <summary>The BM25 leg's answer: the MATCH expression used (for snippets), ids with raw bm25 (lower is better), total.</summary>
    private sealed record TextLeg(string? Match, IReadOnlyList<ScoredId> Hits, int Total);

    private sealed record HitRow(Guid VideoId, int SegmentIndex, Guid CategoryId, double Start, double End, string VideoTitle, string Head);

    /// <summary>The video-level text copied into each of its segments.</summary>
    private sealed record VideoFields(string Title, string Description)
    {
        // The summary is written about the whole video, like the description, so it is searched as description.
        public static VideoFields From(VideoDocument video) => new(
            SnippetMarkup.Clean(video.Title),
            SnippetMarkup.Clean(string.Join("\n\n", new[] { video.Description, video.Summary }.Where(t => !string.IsNullOrWhiteSpace(t)))));
    }

    /// <summary>Which legs a request runs, and the mode the answer reports.</summary>
    private sealed record SearchPlan(SearchMode Mode, bool Runs)
    {
        public static SearchPlan For(SearchRequest request, bool textVectorsIndexed, bool imageVectorsIndexed)
        {
            var hasEmbedding = request.QueryEmbedding is not null || request.QueryImageEmbedding is not null;
            var canCompare = request.QueryEmbedding is not null && textVectorsIndexed
                || request.QueryImageEmbedding is not null && imageVectorsIndexed;
            return request.Mode switch
            {
                SearchMode.Text => new(SearchMode.Text, true),
                // Without a query embedding the caller answers 400; the index answers an empty semantic result.
                SearchMode.Semantic => new(SearchMode.Semantic, hasEmbedding),
                // Hybrid without a query vector and indexed vectors of the same kind is plain text search, and says so.
                _ => canCompare ? new(SearchMode.Hybrid, true) : new(SearchMode.Text, true),
            };
        }
    }
}
