using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Veeky.Search;

/// <summary>The text of one moment as the BM25 leg indexes it: its own words plus its video's, and what it is filtered on.</summary>
public sealed record TextDocument(
    long Id, Guid VideoId, Guid CategoryId, DateTimeOffset CreatedAt,
    string Title, string Description, string Keywords, string Transcript, string Ocr, string Caption)
{
    /// <summary>The field's text by API.md name.</summary>
    public string this[string field] => field switch
    {
        SearchFields.Title => Title,
        SearchFields.Description => Description,
        SearchFields.Keywords => Keywords,
        SearchFields.Transcript => Transcript,
        SearchFields.Ocr => Ocr,
        _ => Caption,
    };
}

/// <summary>
/// What the BM25 leg may match: the caller's categories (null: all), and the request's narrowing filters. With
/// <see cref="OwnTerms"/> only moments whose own text (transcript, OCR, caption) holds one of those terms, or a term
/// starting with <see cref="OwnPrefix"/>; with <see cref="OwnExcluded"/> as well, only the moments whose own text holds
/// none of them.
/// </summary>
public sealed record TextFilter(
    IReadOnlySet<Guid>? Categories, Guid? CategoryId = null, Guid? VideoId = null,
    DateTimeOffset? CreatedFrom = null, DateTimeOffset? CreatedTo = null,
    IReadOnlyCollection<string>? OwnTerms = null, string? OwnPrefix = null, bool OwnExcluded = false);

/// <summary>
/// The BM25 leg of the embedded edition: a Lucene.Net index in its own folder (memory-mapped), one
/// <see cref="IndexWriter"/>, searches on near-real-time searchers. One document per moment, scored in ONE field into
/// which every text field is written, each token repeated by its field's weight (<see cref="TextAnalysis.Weights"/>):
/// so a word's IDF and a moment's length are the moment's as a whole, as SQLite FTS5's bm25() with column weights had
/// them, rather than one BM25 per field where a word is "rare" in titles and outweighs everything else. Nothing is
/// stored but the moment's id: search.db holds the text (for snippets and for rebuilding this folder).
/// </summary>
/// <remarks>
/// Several <see cref="SqliteSearchIndex"/> instances in one process may open the same data folder (a test reopening it,
/// a host and its tooling); a folder has one writer, so instances share one <see cref="LuceneTextIndex"/> per folder,
/// counted by <see cref="Open"/> and <see cref="Dispose"/>.
/// </remarks>
public sealed class LuceneTextIndex : IDisposable
{
    private const string IdField = "id";
    private const string VideoField = "video";
    /// <summary>The video's id as doc values (16 bytes): what a search collapsing moments to one per video groups by.</summary>
    private const string VideoGroupField = "video_group";
    private const string CategoryField = "category";
    private const string CreatedField = "created";
    private const string TextField = "text";
    /// <summary>The moment's own terms (transcript, OCR, caption), each once, unscored: what own-word filtering asks.</summary>
    private const string OwnField = "own";

    /// <summary>Commit data key: the search.db text generation this index reflects (see <see cref="Generation"/>).</summary>
    private const string GenerationKey = "veeky.generation";

    /// <summary>Commit data key: the layout of the documents. A folder of another layout reads as behind and is rebuilt
    /// from search.db on start, so a field added later (as <see cref="OwnField"/> was) is in every document.</summary>
    private const string LayoutKey = "veeky.layout";

    /// <summary>3: <see cref="VideoGroupField"/> added; 2: the <see cref="OwnField"/> added (1, unrecorded: the scored field alone).</summary>
    private const string Layout = "3";

    /// <summary>How long after a write its commit may wait: writes become searchable at once (near-real-time), and a
    /// commit (an fsync of the new files) a second later covers every write of that second.</summary>
    private static readonly TimeSpan CommitDelay = TimeSpan.FromSeconds(1);

    private static readonly Dictionary<string, LuceneTextIndex> Opened = new(StringComparer.Ordinal);

    private static readonly FieldType ScoredText = new()
    {
        IsIndexed = true,
        IsTokenized = true,
        IsStored = false,
        // Frequencies, no positions: BM25 needs how often, never where (there are no phrase queries).
        IndexOptions = IndexOptions.DOCS_AND_FREQS,
    };

    /// <summary>Only whether a moment has the term: no frequencies, no length (norms), it is never scored.</summary>
    private static readonly FieldType UnscoredTerms = new()
    {
        IsIndexed = true,
        IsTokenized = true,
        IsStored = false,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_ONLY,
    };

    private readonly string _folder;
    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    /// <summary>Guards <see cref="_commitPending"/> only, never held across a commit, so writes never wait for one.</summary>
    private readonly System.Threading.Lock _commitLock = new();
    /// <summary>Held through a commit (an fsync of the new files, slow on a busy disk) and through disposal.</summary>
    private readonly System.Threading.Lock _commitGate = new();
    private readonly System.Threading.Lock _refreshLock = new();
    /// <summary>Writes made so far, and how many of them the current searcher shows (see <see cref="Acquire"/>).</summary>
    private long _written;
    private long _shown;
    private int _references = 1;
    private bool _commitPending;
    private bool _closed;
    private long _generation;

    private LuceneTextIndex(string folder)
    {
        _folder = folder;
        System.IO.Directory.CreateDirectory(folder);
        _directory = new MMapDirectory(new DirectoryInfo(folder));
        _writer = new IndexWriter(_directory, new IndexWriterConfig(TextAnalysis.Version, new KeywordAnalyzer())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = Similarity,
        });
        _searchers = new SearcherManager(_writer, true, new Bm25SearcherFactory());
        var data = _writer.CommitData;
        _generation = data.TryGetValue(LayoutKey, out var layout) && layout == Layout
            && data.TryGetValue(GenerationKey, out var committed) && long.TryParse(committed, out var g) ? g : -1;
    }

    /// <summary>BM25 with the k1 for the doubled frequencies, and the length of a moment counting its weighted tokens,
    /// consistent with the average length Lucene takes from the same counts.</summary>
    public static BM25Similarity Similarity { get; } = new(TextAnalysis.K1, TextAnalysis.B) { DiscountOverlaps = false };

    /// <summary>
    /// The search.db write this index reflects: every write of search.db's text bumps a counter in the same transaction,
    /// and this index records the counter with each commit. A different number on start (a crash between the two commits,
    /// a folder lost or copied from elsewhere) means the folder must be rebuilt from search.db. -1: never committed.
    /// </summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Moments indexed (deleted ones no longer counted once merged away).</summary>
    public int Count
    {
        get
        {
            var searcher = Acquire();
            try
            {
                return searcher.IndexReader.NumDocs;
            }
            finally
            {
                Release(searcher);
            }
        }
    }

    /// <summary>Bytes of the index folder.</summary>
    public long DiskBytes => new DirectoryInfo(_folder).EnumerateFiles().Sum(f => f.Length);

    /// <summary>The index of <paramref name="folder"/>, shared with every other opener in this process.</summary>
    public static LuceneTextIndex Open(string folder)
    {
        folder = Path.GetFullPath(folder);
        lock (Opened)
        {
            if (Opened.TryGetValue(folder, out var index))
            {
                index._references++;
                return index;
            }
            index = new LuceneTextIndex(folder);
            Opened[folder] = index;
            return index;
        }
    }

    /// <summary>
    /// Swaps the video's moments for <paramref name="documents"/> in one step (Lucene adds the new block and deletes the
    /// old one atomically, so a reopened searcher sees one generation or the other); the next <see cref="Acquire"/> shows it.
    /// </summary>
    public void ReplaceVideo(Guid videoId, IReadOnlyList<TextDocument> documents, long generation)
    {
        var terms = new VideoTermCache();
        _writer.UpdateDocuments(VideoTerm(videoId), documents.Select(d => ToFields(d, terms)));
        Published(generation);
    }

    public void DeleteVideo(Guid videoId, long generation)
    {
        _writer.DeleteDocuments(VideoTerm(videoId));
        Published(generation);
    }

    /// <summary>Empties the index, writes every document given, and commits them as <paramref name="generation"/>.</summary>
    public int Rebuild(IEnumerable<TextDocument> documents, long generation)
    {
        _writer.DeleteAll();
        var count = 0;
        foreach (var video in documents.ChunkBy(d => d.VideoId))
        {
            var terms = new VideoTermCache();
            _writer.AddDocuments(video.Select(d => ToFields(d, terms)));
            count += video.Count;
        }
        Interlocked.Exchange(ref _generation, generation);
        Commit();
        _searchers.MaybeRefreshBlocking();
        return count;
    }

    /// <summary>
    /// A searcher showing every write made so far; give it back with <see cref="Release"/>. The searcher is reopened
    /// here, on the first search after writes, not on every write: reopening flushes a segment, and doing that per video
    /// made indexing 20 times slower than SQLite's transactions. Callers that pair the searcher with a search.db snapshot
    /// take both under one lock that writes exclude (SqliteSearchIndex's swap lock), so the reopened searcher shows
    /// exactly the writes search.db has committed.
    /// </summary>
    public IndexSearcher Acquire()
    {
        // Counts, not a flag: a search arriving while another reopens waits for that reopen rather than taking the
        // searcher from before it (two searches of one request run side by side, MomentRanking's).
        if (Interlocked.Read(ref _shown) < Interlocked.Read(ref _written))
        {
            lock (_refreshLock)
            {
                var written = Interlocked.Read(ref _written);
                if (Interlocked.Read(ref _shown) < written)
                {
                    // Read before reopening: a write landing during the reopen is counted as not shown yet.
                    _searchers.MaybeRefreshBlocking();
                    Interlocked.Exchange(ref _shown, written);
                }
            }
        }
        return _searchers.Acquire();
    }

    public void Release(IndexSearcher searcher) => _searchers.Release(searcher);

    /// <summary>
    /// Ranks every moment matching <paramref name="query"/> within <paramref name="filter"/> by BM25 and returns the best
    /// <paramref name="limit"/> after <paramref name="offset"/>, with the number of matches. The filter is a clause of the
    /// query (FilteredQuery: the scorer skips documents outside it), never applied to results afterwards.
    /// </summary>
    public static (IReadOnlyList<ScoredId> Hits, int Total) Search(IndexSearcher searcher, Query query, TextFilter filter, int limit, int offset)
    {
        var top = searcher.Search(Filtered(query, filter), Math.Max(1, offset + limit));
        var ids = MultiDocValues.GetNumericValues(searcher.IndexReader, IdField);
        var hits = top.ScoreDocs.Skip(offset).Take(limit).Select(d => new ScoredId(ids.Get(d.Doc), d.Score)).ToList();
        return (hits, top.TotalHits);
    }

    /// <summary>
    /// Collapses the moments matching <paramref name="query"/> within <paramref name="filter"/> to one per video: the
    /// video's earliest moment (lowest id: a video's moments are written in order) scored with the best BM25 among its
    /// moments, best video first; returns <paramref name="limit"/> of them after <paramref name="offset"/> and the number
    /// of videos. One pass over the matches, as <see cref="Search"/> makes (Lucene.Net's grouping module, which does this
    /// in two or three passes, is not a package served here).
    /// </summary>
    public static (IReadOnlyList<ScoredId> Hits, int Total) SearchVideos(IndexSearcher searcher, Query query, TextFilter filter, int limit, int offset)
    {
        var collapse = new VideoCollapse();
        searcher.Search(Filtered(query, filter), collapse);
        var videos = collapse.Videos();
        var hits = videos
            .OrderByDescending(v => v.Score).ThenBy(v => v.Id)
            .Skip(offset).Take(limit)
            .Select(v => new ScoredId(v.Id, v.Score))
            .ToList();
        return (hits, videos.Count);
    }

    /// <summary>Whether any moment within the filter matches (a word the caller may see exists).</summary>
    public static bool Any(IndexSearcher searcher, Query query, TextFilter filter) =>
        searcher.Search(Filtered(query, filter), 1).TotalHits > 0;

    /// <summary>A term of the scored field.</summary>
    public static Term Term(string text) => new(TextField, text);

    public void Dispose()
    {
        lock (Opened)
        {
            if (--_references > 0)
            {
                return;
            }
            Opened.Remove(_folder);
        }
        lock (_commitLock)
        {
            _commitPending = false;
        }
        lock (_commitGate)
        {
            _closed = true;
            _searchers.Dispose();
            // Commits whatever the last second wrote, then lets go of the folder's lock.
            _writer.SetCommitData(CommitData());
            _writer.Dispose();
            _directory.Dispose();
        }
    }

    private void Published(long generation)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _generation);
        }
        while (generation > current && Interlocked.CompareExchange(ref _generation, generation, current) != current);
        Interlocked.Increment(ref _written);
        ScheduleCommit();
    }

    private void ScheduleCommit()
    {
        lock (_commitLock)
        {
            if (_commitPending)
            {
                return;
            }
            _commitPending = true;
        }
        _ = Task.Delay(CommitDelay).ContinueWith(_ =>
        {
            lock (_commitLock)
            {
                if (!_commitPending)
                {
                    return; // disposed meanwhile, which committed
                }
                // Cleared before committing: a write landing during the commit schedules the next one.
                _commitPending = false;
            }
            Commit();
        }, TaskScheduler.Default);
    }

    /// <summary>
    /// Commits every document added so far with the generation published so far. Writes go on meanwhile (IndexWriter
    /// allows it); one landing during the commit may be in it while the recorded generation is older, which on start
    /// reads as "behind" and rebuilds: the folder never claims a generation it does not hold.
    /// </summary>
    private void Commit()
    {
        lock (_commitGate)
        {
            if (_closed)
            {
                return; // disposal committed
            }
            _writer.SetCommitData(CommitData());
            _writer.Commit();
        }
    }

    private Dictionary<string, string> CommitData() => new()
    {
        [GenerationKey] = Generation.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [LayoutKey] = Layout,
    };

    private static Query Filtered(Query query, TextFilter filter)
    {
        var clauses = new BooleanQuery(true);
        if (filter.Categories is { } categories)
        {
            var allowed = new BooleanQuery(true);
            foreach (var category in categories)
            {
                allowed.Add(new TermQuery(new Term(CategoryField, Key(category))), Occur.SHOULD);
            }
            clauses.Add(allowed, Occur.MUST);
        }
        if (filter.CategoryId is { } categoryId)
        {
            clauses.Add(new TermQuery(new Term(CategoryField, Key(categoryId))), Occur.MUST);
        }
        if (filter.VideoId is { } videoId)
        {
            clauses.Add(new TermQuery(VideoTerm(videoId)), Occur.MUST);
        }
        if (filter.CreatedFrom is not null || filter.CreatedTo is not null)
        {
            clauses.Add(NumericRangeQuery.NewInt64Range(CreatedField, filter.CreatedFrom?.UtcTicks, filter.CreatedTo?.UtcTicks, true, true), Occur.MUST);
        }
        if (filter.OwnTerms is { } ownTerms)
        {
            var own = new BooleanQuery(true);
            foreach (var term in ownTerms)
            {
                own.Add(new TermQuery(new Term(OwnField, term)), Occur.SHOULD);
            }
            if (filter.OwnPrefix is { } prefix)
            {
                own.Add(new PrefixQuery(new Term(OwnField, prefix)), Occur.SHOULD);
            }
            if (filter.OwnExcluded)
            {
                // A query of MUST_NOT clauses alone matches nothing: exclude from everything else the filter lets through.
                if (clauses.Clauses.Count == 0)
                {
                    clauses.Add(new MatchAllDocsQuery(), Occur.MUST);
                }
                clauses.Add(own, Occur.MUST_NOT);
            }
            else
            {
                clauses.Add(own, Occur.MUST);
            }
        }
        return clauses.Clauses.Count == 0 ? query : new FilteredQuery(query, new QueryWrapperFilter(clauses));
    }

    private static IEnumerable<IIndexableField> ToFields(TextDocument document, VideoTermCache cache)
    {
        var fields = new List<IIndexableField>
        {
            new NumericDocValuesField(IdField, document.Id),
            new StringField(VideoField, Key(document.VideoId), Field.Store.NO),
            new SortedDocValuesField(VideoGroupField, new Lucene.Net.Util.BytesRef(document.VideoId.ToByteArray())),
            new StringField(CategoryField, Key(document.CategoryId), Field.Store.NO),
            new Int64Field(CreatedField, document.CreatedAt.UtcTicks, Field.Store.NO),
        };
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        // The own field is made from the same analysis as the scored one: each term of the moment's own text, once.
        var own = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, repeats) in TextAnalysis.Weights)
        {
            var text = document[name];
            if (text.Length == 0)
            {
                continue;
            }
            var ownText = !SearchFields.IsVideoLevel(name);
            foreach (var term in cache.Terms(name, text))
            {
                counts[term] = counts.GetValueOrDefault(term) + repeats;
                if (ownText)
                {
                    own[term] = 1;
                }
            }
        }
        var tokens = new TextAnalysis.CountedTerms(counts);
        if (!tokens.IsEmpty)
        {
            fields.Add(new Field(TextField, tokens, ScoredText));
        }
        if (own.Count > 0)
        {
            fields.Add(new Field(OwnField, new TextAnalysis.CountedTerms(own), UnscoredTerms));
        }
        return fields;
    }

    /// <summary>
    /// The analysed terms of the video-level fields (title, description, keywords), which every moment of a video
    /// repeats word for word: analysed once per video rather than once per moment.
    /// </summary>
    private sealed class VideoTermCache
    {
        private readonly Dictionary<string, string[]> _terms = new(StringComparer.Ordinal);

        public string[] Terms(string field, string text)
        {
            if (field is not (SearchFields.Title or SearchFields.Description or SearchFields.Keywords))
            {
                return TextAnalysis.AnalyzedTerms(text);
            }
            if (!_terms.TryGetValue(text, out var terms))
            {
                _terms[text] = terms = TextAnalysis.AnalyzedTerms(text);
            }
            return terms;
        }
    }

    private static Term VideoTerm(Guid videoId) => new(VideoField, Key(videoId));

    /// <summary>
    /// Per video among the matches: the best score and the lowest moment id. Within an index segment the videos are
    /// ordinals into arrays (no lookup per match); each segment's videos are merged by id once it is done.
    /// </summary>
    private sealed class VideoCollapse : ICollector
    {
        private readonly Dictionary<Guid, (float Score, long Id)> _videos = [];
        private Scorer? _scorer;
        private SortedDocValues? _groups;
        private NumericDocValues? _ids;
        private float[] _best = [];
        private long[] _first = [];
        private bool[] _seen = [];

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer) => _scorer = scorer;

        public void SetNextReader(AtomicReaderContext context)
        {
            Flush();
            // Every document of this layout has both (an older folder is rebuilt on start, see LayoutKey).
            _groups = context.AtomicReader.GetSortedDocValues(VideoGroupField)
                ?? throw new InvalidOperationException($"The search-text folder has no {VideoGroupField} values: it predates layout {Layout}.");
            _ids = context.AtomicReader.GetNumericDocValues(IdField);
            var count = _groups.ValueCount;
            _best = new float[count];
            _first = new long[count];
            _seen = new bool[count];
        }

        public void Collect(int doc)
        {
            var ord = _groups!.GetOrd(doc);
            if (ord < 0)
            {
                return; // a document without a video: none is written so
            }
            var score = _scorer!.GetScore();
            var id = _ids!.Get(doc);
            if (!_seen[ord])
            {
                (_seen[ord], _best[ord], _first[ord]) = (true, score, id);
                return;
            }
            _best[ord] = Math.Max(_best[ord], score);
            _first[ord] = Math.Min(_first[ord], id);
        }

        public IReadOnlyCollection<(float Score, long Id)> Videos()
        {
            Flush();
            return _videos.Values;
        }

        private void Flush()
        {
            if (_groups is null)
            {
                return;
            }
            var bytes = new Lucene.Net.Util.BytesRef();
            for (var ord = 0; ord < _seen.Length; ord++)
            {
                if (!_seen[ord])
                {
                    continue;
                }
                _groups.LookupOrd(ord, bytes);
                var video = new Guid(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length));
                _videos[video] = _videos.TryGetValue(video, out var known)
                    ? (Math.Max(known.Score, _best[ord]), Math.Min(known.Id, _first[ord]))
                    : (_best[ord], _first[ord]);
            }
            _groups = null;
        }
    }

    private static string Key(Guid id) => id.ToString("N");

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = Similarity };
    }
}

internal static class ChunkByExtensions
{
    /// <summary>Consecutive runs of items with the same key (the rows of one video come together).</summary>
    public static IEnumerable<List<T>> ChunkBy<T, TKey>(this IEnumerable<T> items, Func<T, TKey> key)
    {
        var run = new List<T>();
        foreach (var item in items)
        {
            if (run.Count > 0 && !EqualityComparer<TKey>.Default.Equals(key(run[0]), key(item)))
            {
                yield return run;
                run = [];
            }
            run.Add(item);
        }
        if (run.Count > 0)
        {
            yield return run;
        }
    }
}
