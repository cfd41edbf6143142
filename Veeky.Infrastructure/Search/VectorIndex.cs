using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Veeky.Search;

/// <summary>
/// An in-memory cosine index over L2-normalised vectors held as int8 codes (<see cref="QuantizedVector"/>), searched by
/// brute force with SIMD integer dot products. Its scores approximate the cosine; callers that need it exact rescore the
/// best few hundred with the float32 vectors (<see cref="SqliteSearchIndex"/> reads them from search.db).
/// </summary>
/// <remarks>
/// Brute force needs no graph to keep in step with replaces and deletes, and the access filter is checked per row
/// before any dot product, so a restricted user's search is cheaper, never less complete. At 1.2 million x 384 the codes
/// are 460 MB, a quarter of float32, and one scan reads them once; large indexes are scanned in one slice per core.
/// Codes live in fixed-size blocks so growing never copies one huge array, and each row keeps its category and video as
/// small integers. Many readers may search at once; writers take the lock exclusively.
/// </remarks>
public sealed class VectorIndex
{
    /// <summary>Rows per block: 4,096 x 384 codes is 1.5 MiB, large enough for long SIMD runs, small enough to grow cheaply.</summary>
    private const int BlockRows = 4096;

    /// <summary>Below this many rows one thread scans faster than handing slices to others costs.</summary>
    private const int ParallelRows = 65_536;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<sbyte[]> _blocks = [];
    private readonly Dictionary<Guid, int> _categoryOrdinals = [];
    private readonly Dictionary<Guid, int> _videoOrdinals = [];
    private long[] _ids = [];
    private float[] _scales = [];
    private int[] _categories = [];
    private int[] _videos = [];
    private int _count;
    private int _dimension;

    /// <summary>Number of vectors held.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Length of the vectors held; 0 while empty.</summary>
    public int Dimension => _dimension;

    /// <summary>Bytes held by the code blocks and the per-row arrays (the index's own memory, not the process's).</summary>
    public long MemoryBytes
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                long blocks = _blocks.Sum(b => (long)b.Length);
                long rows = (long)_ids.Length * (sizeof(long) + sizeof(float) + sizeof(int) + sizeof(int));
                return blocks + rows;
            }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Scales the vector to unit length; null for a zero, empty or non-finite vector, which has no direction.</summary>
    public static float[]? Normalize(ReadOnlySpan<float> vector)
    {
        if (vector.IsEmpty)
        {
            return null;
        }
        var norm = TensorPrimitives.Norm(vector);
        if (!float.IsFinite(norm) || norm == 0)
        {
            return null;
        }
        var result = new float[vector.Length];
        TensorPrimitives.Divide(vector, norm, result);
        return result;
    }

    /// <summary>Whether vectors of this length can join the index (any length while it is empty).</summary>
    public bool Accepts(int dimension)
    {
        _lock.EnterReadLock();
        try { return _count == 0 || dimension == _dimension; }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Adds one row; the vector must already be normalised.</summary>
    public void Add(VectorEntry entry) => Add(entry.Id, entry.VideoId, entry.CategoryId, QuantizedVector.From(entry.Vector));

    /// <summary>Adds one row from its stored codes (the start-up load, which never reads the float32 vectors).</summary>
    public void Add(long id, Guid videoId, Guid categoryId, QuantizedVector vector)
    {
        _lock.EnterWriteLock();
        try { AddUnlocked(id, videoId, categoryId, vector); }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>
    /// Writes the index as it is (codes, per-row arrays, category and video ordinals) for <see cref="ReadFrom"/>: the
    /// in-memory layout as it stands, so reading it back is a few large sequential reads with nothing to compute.
    /// </summary>
    public void WriteTo(Stream stream)
    {
        _lock.EnterReadLock();
        try
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(_dimension);
            writer.Write(_count);
            WriteOrdinals(writer, _categoryOrdinals);
            WriteOrdinals(writer, _videoOrdinals);
            writer.Flush();
            stream.Write(MemoryMarshal.AsBytes(_ids.AsSpan(0, _count)));
            stream.Write(MemoryMarshal.AsBytes(_scales.AsSpan(0, _count)));
            stream.Write(MemoryMarshal.AsBytes(_categories.AsSpan(0, _count)));
            stream.Write(MemoryMarshal.AsBytes(_videos.AsSpan(0, _count)));
            for (var block = 0; block * BlockRows < _count; block++)
            {
                var rows = Math.Min(BlockRows, _count - block * BlockRows);
                stream.Write(MemoryMarshal.AsBytes(_blocks[block].AsSpan(0, rows * _dimension)));
            }
        }
        finally { _lock.ExitReadLock(); }

        static void WriteOrdinals(BinaryWriter writer, Dictionary<Guid, int> ordinals)
        {
            Span<byte> bytes = stackalloc byte[16];
            writer.Write(ordinals.Count);
            foreach (var (id, _) in ordinals.OrderBy(o => o.Value))
            {
                id.TryWriteBytes(bytes);
                writer.Write(bytes);
            }
        }
    }

    /// <summary>Replaces the whole index with what <see cref="WriteTo"/> wrote; throws on a truncated or malformed stream.</summary>
    public void ReadFrom(Stream stream)
    {
        _lock.EnterWriteLock();
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            var dimension = reader.ReadInt32();
            var count = reader.ReadInt32();
            if (dimension < 0 || count < 0 || count > 0 && dimension == 0)
            {
                throw new InvalidDataException($"A vector index of {count} rows of {dimension} dimensions cannot be read.");
            }
            var categories = ReadOrdinals(reader);
            var videos = ReadOrdinals(reader);
            var blocks = (count + BlockRows - 1) / BlockRows;
            var capacity = blocks * BlockRows;
            var ids = new long[capacity];
            var scales = new float[capacity];
            var categoryRows = new int[capacity];
            var videoRows = new int[capacity];
            stream.ReadExactly(MemoryMarshal.AsBytes(ids.AsSpan(0, count)));
            stream.ReadExactly(MemoryMarshal.AsBytes(scales.AsSpan(0, count)));
            stream.ReadExactly(MemoryMarshal.AsBytes(categoryRows.AsSpan(0, count)));
            stream.ReadExactly(MemoryMarshal.AsBytes(videoRows.AsSpan(0, count)));
            var codes = new List<sbyte[]>(blocks);
            for (var block = 0; block < blocks; block++)
            {
                var rows = Math.Min(BlockRows, count - block * BlockRows);
                var codeBlock = new sbyte[BlockRows * dimension];
                stream.ReadExactly(MemoryMarshal.AsBytes(codeBlock.AsSpan(0, rows * dimension)));
                codes.Add(codeBlock);
            }
            for (var slot = 0; slot < count; slot++)
            {
                if ((uint)categoryRows[slot] >= (uint)categories.Count || (uint)videoRows[slot] >= (uint)videos.Count)
                {
                    throw new InvalidDataException($"Row {slot} of the vector index names a category or video it does not list.");
                }
            }

            _dimension = dimension;
            _count = count;
            _blocks.Clear();
            _blocks.AddRange(codes);
            (_ids, _scales, _categories, _videos) = (ids, scales, categoryRows, videoRows);
            _categoryOrdinals.Clear();
            _videoOrdinals.Clear();
            for (var i = 0; i < categories.Count; i++)
            {
                _categoryOrdinals.Add(categories[i], i);
            }
            for (var i = 0; i < videos.Count; i++)
            {
                _videoOrdinals.Add(videos[i], i);
            }
        }
        finally { _lock.ExitWriteLock(); }

        static List<Guid> ReadOrdinals(BinaryReader reader)
        {
            var count = reader.ReadInt32();
            if (count < 0)
            {
                throw new InvalidDataException("A negative count of ordinals cannot be read.");
            }
            var ids = new List<Guid>(count);
            Span<byte> bytes = stackalloc byte[16];
            for (var i = 0; i < count; i++)
            {
                reader.BaseStream.ReadExactly(bytes);
                ids.Add(new Guid(bytes));
            }
            return ids;
        }
    }

    /// <summary>Removes every row.</summary>
    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            _count = 0;
            _dimension = 0;
            _blocks.Clear();
            _categoryOrdinals.Clear();
            _videoOrdinals.Clear();
            (_ids, _scales, _categories, _videos) = ([], [], [], []);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Removes the video's rows and adds these in one step, so a search sees either set, never both.</summary>
    public void ReplaceVideo(Guid videoId, IReadOnlyList<VectorEntry> entries)
    {
        _lock.EnterWriteLock();
        try
        {
            RemoveVideoUnlocked(videoId);
            foreach (var entry in entries)
            {
                AddUnlocked(entry.Id, entry.VideoId, entry.CategoryId, QuantizedVector.From(entry.Vector));
            }
        }
        finally { _lock.ExitWriteLock(); }
    }

    public void RemoveVideo(Guid videoId)
    {
        _lock.EnterWriteLock();
        try { RemoveVideoUnlocked(videoId); }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Moves the video's rows to another category (the access filter reads it).</summary>
    public void SetCategory(Guid videoId, Guid categoryId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_videoOrdinals.TryGetValue(videoId, out var video))
            {
                return;
            }
            var category = CategoryOrdinal(categoryId);
            for (var slot = 0; slot < _count; slot++)
            {
                if (_videos[slot] == video)
                {
                    _categories[slot] = category;
                }
            }
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>
    /// The <paramref name="k"/> rows most similar to the (normalised) query among the rows the filter lets through,
    /// best first, scored by the int8 codes (within about 0.01 of the cosine). A query of another length than the
    /// index's finds nothing.
    /// </summary>
    public IReadOnlyList<ScoredId> Search(ReadOnlySpan<float> query, int k, VectorFilter filter)
    {
        if (k <= 0)
        {
            return [];
        }
        _lock.EnterReadLock();
        try
        {
            if (_count == 0 || query.Length != _dimension)
            {
                return [];
            }
            var scan = new Scan(this, QuantizedVector.From(query), k, AllowedCategories(filter), AllowedVideos(filter), -1);
            if (filter.VideoId is { } videoId)
            {
                if (!_videoOrdinals.TryGetValue(videoId, out var video))
                {
                    return [];
                }
                scan = scan with { Video = video };
            }
            var slices = _count >= ParallelRows ? Math.Min(Environment.ProcessorCount, 8) : 1;
            var best = new PriorityQueue<long, float>[slices];
            if (slices == 1)
            {
                best[0] = scan.Run(0, _count);
            }
            else
            {
                // Still under the read lock: the slices read rows no writer can move until all have finished.
                var size = (_count + slices - 1) / slices;
                Parallel.For(0, slices, s => best[s] = scan.Run(s * size, Math.Min(_count, (s + 1) * size)));
            }

            var merged = best[0];
            for (var s = 1; s < slices; s++)
            {
                while (best[s].TryDequeue(out var id, out var score))
                {
                    Scan.Keep(merged, k, id, score);
                }
            }
            var result = new ScoredId[merged.Count];
            for (var i = result.Length - 1; i >= 0; i--)
            {
                merged.TryDequeue(out var id, out var score);
                result[i] = new ScoredId(id, score);
            }
            return result;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>One query's pass over a range of rows; the filter is checked before the dot product.</summary>
    private readonly record struct Scan(VectorIndex Index, QuantizedVector Query, int K, bool[]? Allowed, bool[]? AllowedVideos, int Video)
    {
        public PriorityQueue<long, float> Run(int from, int to)
        {
            // A min-heap of the best k so far: its root is the weakest kept row, the one a better row displaces.
            var best = new PriorityQueue<long, float>(K + 1);
            var index = Index;
            var scale = Query.Scale;
            for (var slot = from; slot < to; slot++)
            {
                if (Allowed is not null && !Allowed[index._categories[slot]]
                    || Video >= 0 && index._videos[slot] != Video
                    || AllowedVideos is not null && !AllowedVideos[index._videos[slot]])
                {
                    continue;
                }
                var similarity = scale * index._scales[slot] * QuantizedVector.Dot(Query.Codes, index.Row(slot));
                Keep(best, K, index._ids[slot], similarity);
            }
            return best;
        }

        public static void Keep(PriorityQueue<long, float> best, int k, long id, float similarity)
        {
            if (best.Count < k)
            {
                best.Enqueue(id, similarity);
            }
            else if (best.TryPeek(out _, out var weakest) && similarity > weakest)
            {
                best.DequeueEnqueue(id, similarity);
            }
        }
    }

    /// <summary>Per category ordinal, whether the filter lets it through; null when every category may be seen.</summary>
    private bool[]? AllowedCategories(VectorFilter filter)
    {
        if (filter.Categories is null && filter.CategoryId is null)
        {
            return null;
        }
        var allowed = new bool[_categoryOrdinals.Count];
        foreach (var (category, ordinal) in _categoryOrdinals)
        {
            allowed[ordinal] = (filter.Categories?.Contains(category) ?? true)
                && (filter.CategoryId is null || filter.CategoryId == category);
        }
        return allowed;
    }

    /// <summary>Per video ordinal, whether the filter's video set holds it; null when every video may be seen.</summary>
    private bool[]? AllowedVideos(VectorFilter filter)
    {
        if (filter.Videos is not { } videos)
        {
            return null;
        }
        var allowed = new bool[_videoOrdinals.Count];
        foreach (var id in videos)
        {
            if (_videoOrdinals.TryGetValue(id, out var ordinal))
            {
                allowed[ordinal] = true;
            }
        }
        return allowed;
    }

    private Span<sbyte> Row(int slot) =>
        _blocks[slot / BlockRows].AsSpan(slot % BlockRows * _dimension, _dimension);

    private void AddUnlocked(long id, Guid videoId, Guid categoryId, QuantizedVector vector)
    {
        if (_count == 0)
        {
            _dimension = vector.Dimension;
            _blocks.Clear();
        }
        else if (vector.Dimension != _dimension)
        {
            throw new ArgumentException(
                $"The vector index holds {_dimension}-dimension vectors; a {vector.Dimension}-dimension vector cannot join it. " +
                "Reindex every video after changing the embedding model.", nameof(vector));
        }
        if (_count == _blocks.Count * BlockRows)
        {
            _blocks.Add(new sbyte[BlockRows * _dimension]);
            // Grow the per-row arrays by half their size, not per block: a block at a time would copy them 300 times
            // on the way to 1.2 million rows.
            var capacity = _blocks.Count * BlockRows;
            if (capacity > _ids.Length)
            {
                var grown = Math.Max(capacity, _ids.Length + _ids.Length / 2);
                Array.Resize(ref _ids, grown);
                Array.Resize(ref _scales, grown);
                Array.Resize(ref _categories, grown);
                Array.Resize(ref _videos, grown);
            }
        }
        var slot = _count++;
        vector.Codes.CopyTo(Row(slot));
        _ids[slot] = id;
        _scales[slot] = vector.Scale;
        _categories[slot] = CategoryOrdinal(categoryId);
        _videos[slot] = VideoOrdinal(videoId);
    }

    private void RemoveVideoUnlocked(Guid videoId)
    {
        if (!_videoOrdinals.TryGetValue(videoId, out var video))
        {
            return;
        }
        // Swap-remove: the last row fills the hole, so rows stay contiguous and the scan has no gaps to skip.
        for (var slot = _count - 1; slot >= 0; slot--)
        {
            if (_videos[slot] != video)
            {
                continue;
            }
            var last = --_count;
            if (slot != last)
            {
                Row(last).CopyTo(Row(slot));
                _ids[slot] = _ids[last];
                _scales[slot] = _scales[last];
                _categories[slot] = _categories[last];
                _videos[slot] = _videos[last];
            }
        }
    }

    private int CategoryOrdinal(Guid categoryId)
    {
        if (!_categoryOrdinals.TryGetValue(categoryId, out var ordinal))
        {
            ordinal = _categoryOrdinals.Count;
            _categoryOrdinals.Add(categoryId, ordinal);
        }
        return ordinal;
    }

    private int VideoOrdinal(Guid videoId)
    {
        if (!_videoOrdinals.TryGetValue(videoId, out var ordinal))
        {
            ordinal = _videoOrdinals.Count;
            _videoOrdinals.Add(videoId, ordinal);
        }
        return ordinal;
    }
}

/// <summary>One row of a <see cref="VectorIndex"/>: a segment's id, what it is filtered by, and its normalised vector.</summary>
public readonly record struct VectorEntry(long Id, Guid VideoId, Guid CategoryId, float[] Vector);

/// <summary>
/// Which rows a vector search may score. <see cref="Categories"/> null means every category; <see cref="Videos"/> null
/// means every video (a date filter narrows it to the videos created in the range).
/// </summary>
public sealed record VectorFilter(IReadOnlySet<Guid>? Categories, Guid? CategoryId = null, Guid? VideoId = null,
    IReadOnlySet<Guid>? Videos = null);
