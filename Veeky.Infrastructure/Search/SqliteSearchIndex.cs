using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Json;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Veeky.Search;

/// <summary>
/// The embedded edition's search index: moments, their text and vectors in <c>{DataDirectory}/search.db</c>, the BM25
/// leg in a Lucene.Net index in <c>{DataDirectory}/search-text/</c> (<see cref="LuceneTextIndex"/>), the vector legs in
/// an in-memory <see cref="VectorIndex"/>, fused for hybrid search.
/// </summary>
/// <remarks>
/// One text engine: Lucene.Net replaced SQLite FTS5 because FTS5 has no way to skip through postings, so a word in most
/// of 1.2 million moments cost a second of bm25() calls where Lucene scores the same matches in tens of milliseconds
/// (see Search/README.md, "Text engines side by side"). search.db stays the store the Lucene folder is made from: a
/// folder missing, empty or behind search.db (a crash between their two commits) is rebuilt from it on start, and an
/// index written by the FTS5 version has its text moved out of FTS5 and indexed the same way.
/// <para>
/// A match on a video-level field ranks every moment of that video, while hits remain moments. Access control is part
/// of every query: the BM25 leg as a filter clause of the Lucene query on the category, the vector legs by skipping rows
/// of other categories before scoring. Every operation opens its own (pooled) connection in WAL mode; a search takes its
/// Lucene searcher and its search.db snapshot together (<see cref="_swap"/>), so both show the same generation of
/// every video.
/// </para>
/// </remarks>
public sealed class SqliteSearchIndex : ISearchIndex, IRebuildableSearchIndex, IDisposable
{
    /// <summary>Words per snippet: about 200 characters of English.</summary>
    private const int SnippetWords = 32;

    /// <summary>Fields a hit's snippet is taken from, in order of preference: the moment's own words first.</summary>
    private static readonly string[] SnippetPreference =
    [
        SearchFields.Transcript, SearchFields.Ocr, SearchFields.Caption,
        SearchFields.Description, SearchFields.Keywords, SearchFields.Title,
    ];

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
            transcript        TEXT NOT NULL DEFAULT '',
            ocr               TEXT NOT NULL DEFAULT '',
            caption           TEXT NOT NULL DEFAULT '',
            UNIQUE (video_id, segment_index)
        );
        CREATE INDEX IF NOT EXISTS search_segments_category ON search_segments (category_id);
        -- Vectors in their own table keep search_segments rows small for the reads of hit rows.
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
        -- The text generation: bumped by every write of text, recorded by the Lucene folder with each of its commits.
        CREATE TABLE IF NOT EXISTS search_state (
            name   TEXT PRIMARY KEY,
            value  INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO search_state (name, value) VALUES ('text_generation', 0);
        """;

    private const string BumpGenerationSql =
        "UPDATE search_state SET value = value + 1 WHERE name = 'text_generation' RETURNING value";

    /// <summary>
    /// Access filters of the statement that reads hit rows: the BM25 leg already filtered in its query and the vector
    /// legs before scoring, so this is a second line of defence, not the access control itself.
    /// </summary>
    private const string FilterSql = """
        ($scoped = 0 OR s.category_id IN (SELECT value FROM json_each($categories)))
        AND ($category IS NULL OR s.category_id = $category)
        AND ($video IS NULL OR s.video_id = $video)
        AND ($videos IS NULL OR s.video_id IN (SELECT value FROM json_each($videos)))
        """;

    /// <summary>Every video and whether it was created within the range; the bounds are ISO 8601 text, compared as
    /// instants whatever offset they were written with.</summary>
    private const string VideosCreatedSql = """
        SELECT video_id,
               ($from IS NULL OR julianday(created_at) >= julianday($from))
               AND ($to IS NULL OR julianday(created_at) <= julianday($to))
        FROM search_videos
        """;

    /// <summary>The columns <see cref="ReadTextRow"/> reads: a moment with its video's fields.</summary>
    private const string TextColumns = """
        s.id, s.video_id, s.segment_index, s.category_id, s.start_seconds, s.end_seconds, v.title, v.description,
        v.summary, v.keywords, s.segment_keywords, s.transcript, s.ocr, s.caption, v.created_at
        """;

    private const string TextRowsSql = $"""
        SELECT {TextColumns} FROM search_segments s JOIN search_videos v ON v.video_id = s.video_id
        """;

    private const string HitSql = $"""
        {TextRowsSql}
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
    /// <summary>
    /// Held shared while a search takes its Lucene searcher and its search.db snapshot, exclusively while a write commits
    /// search.db and publishes the same change in Lucene: a search never pairs one generation's ids with the other's rows.
    /// Only synchronous calls run under it (it is thread-affine).
    /// </summary>
    private readonly ReaderWriterLockSlim _swap = new();
    private LuceneTextIndex? _text;
    private volatile bool _initialized;
    private int _disposed;
    /// <summary>The start-up check of the Lucene folder against search.db (a rebuild when it is behind).</summary>
    private Task _textLoaded = Task.CompletedTask;
    /// <summary>The start-up load of the vector codes, which runs after <see cref="InitializeAsync"/> has returned.</summary>
    private Task _vectorsLoaded = Task.CompletedTask;
    /// <summary>The search.db generation the in-memory vectors show (set by the load and by every write of this instance).</summary>
    private long _vectorGeneration = -1;
    /// <summary>The generation of the vector file this instance last read or saved (-1: none).</summary>
    private long _savedVectorGeneration = -1;

    private readonly VectorLoadGate? _loadGate;

    /// <param name="loadGate">Holds the start-up vector load (tests only); null loads at once.</param>
    public SqliteSearchIndex(IOptions<VeekyDataOptions> data, IOptions<SearchOptions> options, ILogger<SqliteSearchIndex> logger,
        VectorLoadGate? loadGate = null)
    {
        _loadGate = loadGate;
        DatabasePath = Path.Combine(data.Value.FullDataDirectory(), "search.db");
        TextIndexPath = Path.Combine(data.Value.FullDataDirectory(), "search-text");
        VectorFilePath = Path.Combine(data.Value.FullDataDirectory(), "search-vectors", "vectors.bin");
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

    /// <summary>Full path of the Lucene.Net folder of the BM25 leg.</summary>
    public string TextIndexPath { get; }

    /// <summary>Full path of the file the vectors are saved to and loaded from (<see cref="VectorFile"/>).</summary>
    public string VectorFilePath { get; }

    /// <summary>Bytes held in memory by the text and image vector indexes.</summary>
    public long VectorMemoryBytes => _textVectors.MemoryBytes + _imageVectors.MemoryBytes;

    /// <summary>Bytes of the Lucene folder.</summary>
    public long TextIndexBytes => _text?.DiskBytes ?? 0;

    /// <summary>
    /// Null once the text index is checked (or rebuilt) and the vectors are loaded, so every search and write can run;
    /// until then a sentence saying what is still loading, for /health. Searches wait for the part they need, writes for all.
    /// </summary>
    public string? LoadingStatus => (_textLoaded.Status, _vectorsLoaded.Status) switch
    {
        (TaskStatus.Faulted or TaskStatus.Canceled, _) =>
            $"Building the text index of the search index failed: {_textLoaded.Exception?.GetBaseException().Message ?? "cancelled"}.",
        (not TaskStatus.RanToCompletion, _) =>
            "The search index is checking (or rebuilding) its text index against search.db, then loading its vectors; searches wait for it.",
        (_, TaskStatus.RanToCompletion) => null,
        (_, TaskStatus.Faulted or TaskStatus.Canceled) =>
            $"Loading the vectors of the search index failed: {_vectorsLoaded.Exception?.GetBaseException().Message ?? "cancelled"}.",
        _ => $"The search index is loading its vectors ({_textVectors.Count + _imageVectors.Count:N0} so far); vector searches wait for it.",
    };

    /// <summary>Whether loading the text index or the vectors failed (see <see cref="LoadingStatus"/> for why).</summary>
    public bool VectorsLoadFailed => _vectorsLoaded.IsFaulted || _textLoaded.IsFaulted;

    /// <summary>Completes when the vectors are loaded (for callers that must not see a partial vector index).</summary>
    public Task WhenVectorsLoadedAsync(CancellationToken ct = default) => _vectorsLoaded.WaitAsync(ct);

    /// <summary>Completes when the text index matches search.db (rebuilt first if it was missing or behind).</summary>
    public Task WhenTextLoadedAsync(CancellationToken ct = default) => _textLoaded.WaitAsync(ct);

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
            await using (var connection = await OpenAsync(ct))
            {
                // WAL is a property of the file: set once, every later connection uses it.
                await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", ct);
                await ExecuteAsync(connection, null, Schema, ct);
                await AddTextColumnsAsync(connection, ct);
            }
            _text = LuceneTextIndex.Open(TextIndexPath);
            // Both load in the background, so a host with a large library answers /alive in a moment: at 1.2 million
            // moments the codes are 470 MB to read, and a text index rebuilt from search.db takes a couple of minutes.
            // A failed load is logged, fails the searches and writes that need it with its error, and makes /health
            // unhealthy; restarting the host retries it.
            _textLoaded = Task.Run(() => LoadTextAsync(_disposing.Token), CancellationToken.None);
            _vectorsLoaded = Task.Run(async () =>
            {
                await _textLoaded;
                await LoadVectorsAsync(_disposing.Token);
            }, CancellationToken.None);
            _initialized = true;
            _logger.LogInformation("Search index {Path} open; checking its text index and loading its vectors", DatabasePath);
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    public async Task ReplaceVideoAsync(VideoDocument video, IReadOnlyList<SegmentDocument> segments, CancellationToken ct = default)
    {
        var textVectors = segments.Select(s => s.TextEmbedding is null ? null : VectorIndex.Normalize(s.TextEmbedding)).ToArray();
        var imageVectors = segments.Select(s => s.ImageEmbedding is null ? null : VectorIndex.Normalize(s.ImageEmbedding)).ToArray();

        await WriteUnderLockAsync(async (connection, transaction) =>
        {
            // Checked under the write lock: once the transaction commits, the in-memory half must not be able to fail.
            EnsureDimensions(_textVectors, textVectors, video.VideoId, "text");
            EnsureDimensions(_imageVectors, imageVectors, video.VideoId, "image");
            await DeleteRowsAsync(connection, transaction, video.VideoId, ct);
            await UpsertVideoRowAsync(connection, transaction, video, ct);

            await using var insertSegment = Command(connection, transaction, """
                INSERT INTO search_segments (video_id, segment_index, category_id, start_seconds, end_seconds, segment_keywords,
                                             transcript, ocr, caption)
                VALUES ($video, $index, $category, $start, $end, $keywords, $transcript, $ocr, $caption)
                RETURNING id
                """);
            await using var insertVectors = Command(connection, transaction, """
                INSERT INTO search_vectors (segment_id, text_embedding, image_embedding) VALUES ($id, $text, $image);
                INSERT INTO search_vector_codes (segment_id, text_code, image_code) VALUES ($id, $textCode, $imageCode);
                """);

            var textEntries = new List<VectorEntry>();
            var imageEntries = new List<VectorEntry>();
            var documents = new List<TextDocument>(segments.Count);
            var videoFields = VideoFields.From(video);
            for (var i = 0; i < segments.Count; i++)
            {
                var segment = segments[i];
                var transcript = SnippetMarkup.Clean(segment.Transcript);
                var ocr = SnippetMarkup.Clean(segment.OcrText);
                var caption = SnippetMarkup.Clean(segment.Caption);
                insertSegment.Parameters.Clear();
                insertSegment.Parameters.AddWithValue("$video", Key(video.VideoId));
                insertSegment.Parameters.AddWithValue("$index", segment.SegmentIndex);
                insertSegment.Parameters.AddWithValue("$category", Key(video.CategoryId));
                insertSegment.Parameters.AddWithValue("$start", segment.Start);
                insertSegment.Parameters.AddWithValue("$end", segment.End);
                insertSegment.Parameters.AddWithValue("$keywords", JoinKeywords([], segment.Keywords));
                insertSegment.Parameters.AddWithValue("$transcript", transcript);
                insertSegment.Parameters.AddWithValue("$ocr", ocr);
                insertSegment.Parameters.AddWithValue("$caption", caption);
                var id = (long)(await insertSegment.ExecuteScalarAsync(ct))!;
                documents.Add(new TextDocument(id, video.VideoId, video.CategoryId, video.CreatedAt, videoFields.Title,
                    videoFields.Description, JoinKeywords(video.Keywords, segment.Keywords), transcript, ocr, caption));

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
            return new Change(
                (text, generation) => text.ReplaceVideo(video.VideoId, documents, generation),
                () =>
                {
                    _textVectors.ReplaceVideo(video.VideoId, textEntries);
                    _imageVectors.ReplaceVideo(video.VideoId, imageEntries);
                });
        }, ct);
    }

    public Task UpdateVideoAsync(VideoDocument video, CancellationToken ct = default) =>
        WriteUnderLockAsync(async (connection, transaction) =>
        {
            await UpsertVideoRowAsync(connection, transaction, video, ct);
            await using (var moveCategory = Command(connection, transaction,
                "UPDATE search_segments SET category_id = $category WHERE video_id = $video"))
            {
                moveCategory.Parameters.AddWithValue("$category", Key(video.CategoryId));
                moveCategory.Parameters.AddWithValue("$video", Key(video.VideoId));
                await moveCategory.ExecuteNonQueryAsync(ct);
            }
            // The video's moments as now stored, rewritten in Lucene with the new title, keywords and category.
            var documents = new List<TextDocument>();
            await using (var select = Command(connection, transaction, $"{TextRowsSql} WHERE s.video_id = $video ORDER BY s.id"))
            {
                select.Parameters.AddWithValue("$video", Key(video.VideoId));
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    documents.Add(ReadTextRow(reader).Document);
                }
            }
            return new Change(
                (text, generation) => text.ReplaceVideo(video.VideoId, documents, generation),
                () =>
                {
                    _textVectors.SetCategory(video.VideoId, video.CategoryId);
                    _imageVectors.SetCategory(video.VideoId, video.CategoryId);
                });
        }, ct);

    public Task DeleteVideoAsync(Guid videoId, CancellationToken ct = default) =>
        WriteUnderLockAsync(async (connection, transaction) =>
        {
            await DeleteRowsAsync(connection, transaction, videoId, ct);
            return new Change(
                (text, generation) => text.DeleteVideo(videoId, generation),
                () =>
                {
                    _textVectors.RemoveVideo(videoId);
                    _imageVectors.RemoveVideo(videoId);
                });
        }, ct);

    /// <summary>What a write changes once search.db has committed: the Lucene documents (given the write's generation)
    /// and the in-memory vectors.</summary>
    private sealed record Change(Action<LuceneTextIndex, long> PublishText, Action UpdateVectors);

    /// <summary>
    /// One write: waits for the index to be loaded, takes the write lock, runs <paramref name="write"/> in a search.db
    /// transaction, bumps the generation, commits and publishes the change in Lucene as one step for searches, then
    /// updates the in-memory vectors, still under the write lock so two writes of one video never interleave their
    /// in-memory halves. A <paramref name="write"/> that throws rolls the transaction back and changes nothing.
    /// </summary>
    private async Task WriteUnderLockAsync(Func<SqliteConnection, SqliteTransaction, Task<Change>> write, CancellationToken ct)
    {
        await InitializeAsync(ct);
        await WhenVectorsLoadedAsync(ct);
        await _writeLock.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var change = await write(connection, transaction);
            var generation = await BumpGenerationAsync(connection, transaction, ct);
            CommitAndPublish(transaction, text => change.PublishText(text, generation));
            change.UpdateVectors();
            // A gap means another instance on this folder wrote meanwhile (tests open several), so these vectors no
            // longer show every write and must never be saved as current: -1 stays -1.
            _vectorGeneration = generation == _vectorGeneration + 1 ? generation : -1;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Commits search.db and publishes the same change in Lucene as one step for searches (under <see cref="_swap"/>).
    /// Should Lucene fail after search.db committed, the folder's generation stays behind search.db's, so the next start
    /// rebuilds it: search.db is what the folder is made from.
    /// </summary>
    private void CommitAndPublish(SqliteTransaction transaction, Action<LuceneTextIndex> publish)
    {
        _swap.EnterWriteLock();
        try
        {
            transaction.Commit();
            publish(_text!);
        }
        finally
        {
            _swap.ExitWriteLock();
        }
    }

    private static async Task<long> BumpGenerationAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        await using var bump = Command(connection, transaction, BumpGenerationSql);
        return (long)(await bump.ExecuteScalarAsync(ct))!;
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
        await WhenTextLoadedAsync(ct);
        if (request.Mode != SearchMode.Text)
        {
            await WhenVectorsLoadedAsync(ct);
        }
        var plan = SearchPlan.For(request, _textVectors.Count > 0, _imageVectors.Count > 0);
        var limit = Math.Clamp(request.Limit, 0, 1000);
        var offset = Math.Max(0, request.Offset);
        var filter = new VectorFilter(request.Scope.CategoryFilter, request.CategoryId, request.VideoId);
        var textFilter = new TextFilter(request.Scope.CategoryFilter, request.CategoryId, request.VideoId, request.CreatedFrom, request.CreatedTo);
        request.RefuseVideoRowsOutsideTextSearch();
        // A semantic search compares vectors only, so it needs no words: a picture or a moment is the query then. A limit
        // of 0 still counts: MomentRanking asks how many video rows follow a page full of moments.
        if (string.IsNullOrWhiteSpace(request.Query) && plan.Mode != SearchMode.Semantic || !plan.Runs
            || filter.Categories is { Count: 0 }
            || request.CategoryId is { } category && filter.Categories is { } visible && !visible.Contains(category))
        {
            return new SearchResult(plan.Mode, 0, []);
        }

        await using var connection = await OpenAsync(ct);
        var (searcher, transaction) = Snapshot(connection);
        try
        {
            await using var _ = transaction;
            if (request.HasDateFilter)
            {
                var (within, outside) = await VideosByCreationAsync(connection, transaction, request, ct);
                if (within.Count == 0)
                {
                    return new SearchResult(plan.Mode, 0, []);
                }
                // A range holding every video filters nothing. The BM25 leg filters on the date in its own query.
                if (outside.Count > 0)
                {
                    filter = filter with { Videos = within };
                }
            }

            if (plan.Mode == SearchMode.Text)
            {
                var text = RunTextLeg(searcher, request.Query, textFilter, limit, offset, request.Matches);
                var hits = await BuildHitsAsync(connection, transaction, text, text.Hits, filter, ct);
                return new SearchResult(SearchMode.Text, text.Total, hits);
            }

            var candidates = Math.Max(limit + offset, _options.CandidateCount);
            var legs = new List<FusionLeg>();
            TextLeg? textLeg = null;
            if (plan.Mode == SearchMode.Hybrid)
            {
                textLeg = RunTextLeg(searcher, request.Query, textFilter, candidates, 0, request.Matches);
                legs.Add(new FusionLeg(textLeg.Hits, _options.TextWeight));
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
            var pageHits = await BuildHitsAsync(connection, transaction, textLeg, page, filter, ct);

            // Total counts every segment the words match, plus the ones found by meaning alone among the candidates.
            var textIds = textLeg?.Hits.Select(h => h.Id).ToHashSet() ?? [];
            var total = (textLeg?.Total ?? 0) + fused.Count(f => !textIds.Contains(f.Id));
            return new SearchResult(plan.Mode, total, pageHits);
        }
        finally
        {
            _text!.Release(searcher);
        }
    }

    /// <summary>
    /// A Lucene searcher and a search.db read transaction showing the same generation of every video: both taken while
    /// no write is between its commit and its publication (<see cref="_swap"/>). The transaction's snapshot begins at its
    /// first read, so one read runs inside the lock.
    /// </summary>
    private (IndexSearcher Searcher, SqliteTransaction Transaction) Snapshot(SqliteConnection connection)
    {
        _swap.EnterReadLock();
        try
        {
            var searcher = _text!.Acquire();
            try
            {
                var transaction = connection.BeginTransaction(deferred: true);
                using var pin = Command(connection, transaction, "SELECT value FROM search_state LIMIT 1");
                pin.ExecuteScalar();
                return (searcher, transaction);
            }
            catch
            {
                _text.Release(searcher);
                throw;
            }
        }
        finally
        {
            _swap.ExitReadLock();
        }
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
        // A load still running holds a connection and the writer: stop it before letting go of the files.
        _disposing.Cancel();
        try
        {
            Task.WaitAll([_textLoaded, _vectorsLoaded], TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Cancelled or failed: either way it no longer reads the files.
        }
        // Saves the vectors as the last write left them, so the next start reads one file instead of every row. Only
        // after a complete load, and not while a write still runs.
        if (_vectorsLoaded.IsCompletedSuccessfully && _writeLock.Wait(TimeSpan.FromSeconds(30)))
        {
            try
            {
                SaveVectors();
            }
            finally
            {
                _writeLock.Release();
            }
        }
        // Commits the last writes of the text index and lets go of its folder (once no other instance shares it).
        _text?.Dispose();
        // Pooled connections keep the file open; a disposed index must let go of it (tests reopen and delete it).
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _writeLock.Dispose();
        _initializeLock.Dispose();
        _swap.Dispose();
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
    /// The BM25 leg, a ladder of ever looser queries, stopping at the first that finds anything: all words as typed; then
    /// all words with the last one also as a prefix (search as you type); then any word. People type a few words
    /// expecting all of them, and OR alone would rank a moment repeating one word above one holding every word; the
    /// fallback keeps long or partly misspelt queries from coming back empty. The prefix step runs only when the last
    /// word is not itself a word the caller can find (so it is still being typed), and the OR step has no prefix.
    /// The query is built of terms, never parsed, so nothing a user types is query syntax.
    /// With <see cref="TextMatches.OwnWords"/> each step also filters on the moment's own text holding a query term (with
    /// <see cref="TextMatches.VideoRows"/>, holding none, and collapses the moments to one per video), while whether the
    /// ladder stops at a step is still decided by the unfiltered step: both kinds are exactly the moments of the search
    /// without the filter, never moments of a looser step that search would not have shown.
    /// </summary>
    private static TextLeg RunTextLeg(IndexSearcher searcher, string query, TextFilter filter, int limit, int offset, TextMatches matches)
    {
        var terms = TextAnalysis.Terms(query);
        if (terms.Count == 0)
        {
            return TextLeg.None;
        }
        var narrowed = matches != TextMatches.All;
        var own = matches switch
        {
            TextMatches.OwnWords => filter with { OwnTerms = terms },
            TextMatches.VideoRows => filter with { OwnTerms = terms, OwnExcluded = true },
            _ => filter,
        };
        (IReadOnlyList<ScoredId> Hits, int Total) Search(Query step, TextFilter stepFilter) => matches == TextMatches.VideoRows
            ? LuceneTextIndex.SearchVideos(searcher, step, stepFilter, limit, offset)
            : LuceneTextIndex.Search(searcher, step, stepFilter, limit, offset);
        // Whether a step found anything for the caller: with an own-word filter, anything even outside it.
        bool Found(Query step, int filteredTotal) => filteredTotal > 0 || narrowed && LuceneTextIndex.Any(searcher, step, filter);
        var all = new BooleanQuery(true);
        foreach (var term in terms)
        {
            all.Add(new TermQuery(LuceneTextIndex.Term(term)), Occur.MUST);
        }
        var (hits, total) = Search(all, own);
        var found = Found(all, total);
        string? prefix = null;
        if (!found && FtsQuery.EndsInWord(query)
            && TextAnalysis.Terms(query, stem: false) is [.., var typing] && typing.Length >= FtsQuery.MinPrefixLength
            && !LuceneTextIndex.Any(searcher, new TermQuery(LuceneTextIndex.Term(terms[^1])), filter))
        {
            var typed = new BooleanQuery(true);
            foreach (var term in terms.Take(terms.Count - 1))
            {
                typed.Add(new TermQuery(LuceneTextIndex.Term(term)), Occur.MUST);
            }
            // The whole word scores too, so a word matching exactly ranks above words that merely start with it. The
            // 64 most frequent completions are scored; a two-letter prefix would otherwise expand to thousands.
            var last = new BooleanQuery(true)
            {
                { new TermQuery(LuceneTextIndex.Term(terms[^1])), Occur.SHOULD },
                { new PrefixQuery(LuceneTextIndex.Term(typing)) { MultiTermRewriteMethod = new MultiTermQuery.TopTermsScoringBooleanQueryRewrite(64) }, Occur.SHOULD },
            };
            typed.Add(last, Occur.MUST);
            (hits, total) = Search(typed, narrowed ? own with { OwnPrefix = typing } : filter);
            found = Found(typed, total);
            prefix = typing;
        }
        if (!found && terms.Count > 1)
        {
            var any = new BooleanQuery(true);
            foreach (var term in terms)
            {
                any.Add(new TermQuery(LuceneTextIndex.Term(term)), Occur.SHOULD);
            }
            (hits, total) = Search(any, own);
            prefix = null;
        }
        return new TextLeg(terms.ToHashSet(StringComparer.Ordinal), prefix, hits, total);
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
    /// Turns ranked ids into hits: the moment and its video from search.db, then the snippet and the fields that matched
    /// from its text, marked where the BM25 leg's terms occur. A hit none of whose words match (found by meaning) gets the
    /// start of its text.
    /// </summary>
    private static async Task<IReadOnlyList<SearchHit>> BuildHitsAsync(SqliteConnection connection, SqliteTransaction transaction,
        TextLeg? text, IReadOnlyList<ScoredId> ranked, VectorFilter filter, CancellationToken ct)
    {
        if (ranked.Count == 0)
        {
            return [];
        }
        var rows = new Dictionary<long, TextRow>();
        await using (var select = Command(connection, transaction, HitSql))
        {
            select.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ranked.Select(r => r.Id)));
            AddFilter(select, filter);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = ReadTextRow(reader);
                rows[row.Document.Id] = row;
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
            var (snippet, fields) = text is { Terms.Count: > 0 } ? Highlight(row.Document, text) : (null, []);
            var document = row.Document;
            snippet ??= SnippetMarkup.Head(new[] { document.Transcript, document.Ocr, document.Caption }.FirstOrDefault(t => t.Length > 0));
            hits.Add(new SearchHit(document.VideoId, row.VideoTitle, document.CategoryId, row.SegmentIndex, row.Start, row.End,
                score, snippet, fields));
        }
        return hits;
    }

    /// <summary>The snippet from the best matching field (null when none matches) and the fields that matched, in API.md's order.</summary>
    private static (string? Snippet, IReadOnlyList<string> Fields) Highlight(TextDocument document, TextLeg text)
    {
        var marked = TextAnalysis.Weights.ToDictionary(w => w.Field,
            w => TextAnalysis.Highlight(document[w.Field], text.Terms, text.Prefix, SnippetWords));
        var fields = TextAnalysis.Weights.Select(w => w.Field).Where(f => marked[f] is not null).ToList();
        var best = SnippetPreference.Select(f => marked[f]).FirstOrDefault(m => m is not null);
        return (best is null ? null : SnippetMarkup.ToHtml(best), fields);
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

    /// <summary>Reads a row of <see cref="TextColumns"/>.</summary>
    private static TextRow ReadTextRow(SqliteDataReader reader)
    {
        var video = new VideoDocument(Guid.Parse(reader.GetString(1)), Guid.Parse(reader.GetString(3)), reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7), SplitKeywords(reader.GetString(9)),
            reader.IsDBNull(8) ? null : reader.GetString(8), DateTimeOffset.Parse(reader.GetString(14), System.Globalization.CultureInfo.InvariantCulture));
        var fields = VideoFields.From(video);
        var document = new TextDocument(reader.GetInt64(0), video.VideoId, video.CategoryId, video.CreatedAt, fields.Title,
            fields.Description, JoinKeywords(video.Keywords, SplitKeywords(reader.GetString(10))),
            reader.GetString(11), reader.GetString(12), reader.GetString(13));
        return new TextRow(document, reader.GetInt32(2), reader.GetDouble(4), reader.GetDouble(5), video.Title);
    }

    /// <summary>
    /// Adds the text columns to a search.db written by the FTS5 version (its text was in the FTS5 table then). Adding a
    /// column with a constant default rewrites nothing, so this is instant whatever the size.
    /// </summary>
    private static async Task AddTextColumnsAsync(SqliteConnection connection, CancellationToken ct)
    {
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var info = Command(connection, null, "SELECT name FROM pragma_table_info('search_segments')"))
        await using (var reader = await info.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                columns.Add(reader.GetString(0));
            }
        }
        foreach (var column in new[] { "transcript", "ocr", "caption" }.Where(c => !columns.Contains(c)))
        {
            await ExecuteAsync(connection, null, $"ALTER TABLE search_segments ADD COLUMN {column} TEXT NOT NULL DEFAULT ''", ct);
        }
    }

    /// <summary>
    /// Brings the Lucene folder level with search.db before any search runs: first moves the text of an FTS5-era
    /// search.db into its segment rows (one transaction, then the FTS5 table is dropped: one text engine), then rebuilds
    /// the folder from search.db when its generation is not search.db's (missing, empty, or behind after a crash).
    /// </summary>
    private async Task LoadTextAsync(CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await _writeLock.WaitAsync(ct);
            try
            {
                await using var connection = await OpenAsync(ct);
                await using var transaction = connection.BeginTransaction(deferred: false);
                await using (var legacy = Command(connection, transaction,
                    "SELECT 1 FROM sqlite_master WHERE name = 'search_text' AND type = 'table'"))
                {
                    if (await legacy.ExecuteScalarAsync(ct) is not null)
                    {
                        await ExecuteAsync(connection, transaction, """
                            UPDATE search_segments SET transcript = coalesce(t.transcript, ''), ocr = coalesce(t.ocr, ''),
                                                       caption = coalesce(t.caption, '')
                            FROM search_text t WHERE t.rowid = search_segments.id;
                            DROP TABLE search_text;
                            """, ct);
                        await BumpGenerationAsync(connection, transaction, ct);
                        _logger.LogInformation("Search index {Path}: text moved out of SQLite FTS5 into search_segments", DatabasePath);
                    }
                }
                long generation;
                await using (var read = Command(connection, transaction, "SELECT value FROM search_state WHERE name = 'text_generation'"))
                {
                    generation = (long)(await read.ExecuteScalarAsync(ct))!;
                }
                if (generation == _text!.Generation)
                {
                    await transaction.CommitAsync(ct);
                    return;
                }
                // Read and indexed inside the write transaction: no write can land between the rows and the generation.
                await using var select = Command(connection, transaction, $"{TextRowsSql} ORDER BY s.video_id, s.id");
                await using var reader = await select.ExecuteReaderAsync(ct);
                var count = _text.Rebuild(ReadAll(reader, ct), generation);
                await transaction.CommitAsync(ct);
                _logger.LogInformation("Search index {Path}: text index {Folder} rebuilt from {Count} moments in {Seconds:F1} s",
                    DatabasePath, TextIndexPath, count, watch.Elapsed.TotalSeconds);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Building the text index {Folder} of search index {Path} failed", TextIndexPath, DatabasePath);
            throw;
        }

        static IEnumerable<TextDocument> ReadAll(SqliteDataReader reader, CancellationToken ct)
        {
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                yield return ReadTextRow(reader).Document;
            }
        }
    }

    /// <summary>
    /// Fills the in-memory indexes: from the vector file when it is at search.db's generation (large sequential reads),
    /// otherwise from search.db's rows (first coding any vectors stored without codes), then saves the file for the next
    /// start. No write runs meanwhile: writes wait for this load.
    /// </summary>
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
            // One snapshot for the generation and the rows read under it.
            await using var transaction = connection.BeginTransaction(deferred: true);
            long generation;
            await using (var read = Command(connection, transaction, "SELECT value FROM search_state WHERE name = 'text_generation'"))
            {
                generation = (long)(await read.ExecuteScalarAsync(ct))!;
            }
            if (coded == 0 && VectorFile.ReadGeneration(VectorFilePath) == generation && ReadVectorFile(generation))
            {
                _logger.LogInformation("Search index {Path}: {TextVectors} text and {ImageVectors} image vectors read from {File} in {Seconds:F1} s",
                    DatabasePath, _textVectors.Count, _imageVectors.Count, VectorFilePath, watch.Elapsed.TotalSeconds);
                return;
            }
            await using var select = Command(connection, transaction, """
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
            _vectorGeneration = generation;
            _logger.LogInformation("Search index {Path}: {TextVectors} text and {ImageVectors} image vectors loaded from search.db in {Seconds:F1} s ({Coded} coded first)",
                DatabasePath, _textVectors.Count, _imageVectors.Count, watch.Elapsed.TotalSeconds, coded);
            SaveVectors();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Loading the vectors of search index {Path} failed", DatabasePath);
            throw;
        }
    }

    /// <summary>Reads the vector file of <paramref name="generation"/>; false (indexes left empty) when it cannot be read.</summary>
    private bool ReadVectorFile(long generation)
    {
        try
        {
            VectorFile.Read(VectorFilePath, generation, _textVectors, _imageVectors);
            _vectorGeneration = _savedVectorGeneration = generation;
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Search index {Path}: the vector file {File} cannot be read; loading the vectors from search.db", DatabasePath, VectorFilePath);
            _textVectors.Clear();
            _imageVectors.Clear();
            return false;
        }
    }

    /// <summary>
    /// Saves the in-memory vectors to the vector file when they show a generation it does not have yet. Called with no
    /// write running (under the write lock, or before writes may start); a failure only costs the next start a load
    /// from search.db.
    /// </summary>
    private void SaveVectors()
    {
        var generation = _vectorGeneration;
        if (generation < 0 || generation == _savedVectorGeneration)
        {
            return;
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            VectorFile.Write(VectorFilePath, generation, _textVectors, _imageVectors);
            _savedVectorGeneration = generation;
            _logger.LogInformation("Search index {Path}: vectors saved to {File} in {Seconds:F1} s", DatabasePath, VectorFilePath, watch.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Search index {Path}: saving the vectors to {File} failed; the next start loads them from search.db", DatabasePath, VectorFilePath);
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

    /// <summary>The BM25 leg's answer: the terms it searched (for snippets), the prefix still being typed if that step
    /// found the hits, ids with BM25 scores (higher is better), and how many moments matched.</summary>
    private sealed record TextLeg(IReadOnlySet<string> Terms, string? Prefix, IReadOnlyList<ScoredId> Hits, int Total)
    {
        public static readonly TextLeg None = new(new HashSet<string>(), null, [], 0);
    }

    /// <summary>A moment read from search.db: its text as indexed, and what a hit shows besides.</summary>
    private sealed record TextRow(TextDocument Document, int SegmentIndex, double Start, double End, string VideoTitle);

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
