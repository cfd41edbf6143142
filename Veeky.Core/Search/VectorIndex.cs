using System.Numerics.Tensors;

namespace Veeky.Search;

/// <summary>
/// An in-memory cosine index over L2-normalised float32 vectors, searched by brute force with SIMD dot products.
/// </summary>
/// <remarks>
/// Brute force is exact and needs no graph to keep in step with replaces and deletes: 100,000 x 384 dimensions is about
/// 38 million multiply-adds per query, a few milliseconds. Vectors live in fixed-size blocks so growing never copies one
/// huge array, and each row keeps its category and video as small integers so the access filter is checked before any
/// dot product is computed. Many readers may search at once; writers take the lock exclusively.
/// </remarks>
public sealed class VectorIndex
{
    /// <summary>Rows per block: 4,096 x 384 floats is 6 MiB, large enough for long SIMD runs, small enough to grow cheaply.</summary>
    private const int BlockRows = 4096;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<float[]> _blocks = [];
    private readonly Dictionary<Guid, int> _categoryOrdinals = [];
    private readonly Dictionary<Guid, int> _videoOrdinals = [];
    private long[] _ids = [];
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

    /// <summary>Bytes held by the vector blocks and the per-row arrays (the index's own memory, not the process's).</summary>
    public long MemoryBytes
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                long blocks = _blocks.Sum(b => (long)b.Length * sizeof(float));
                long rows = (long)_ids.Length * (sizeof(long) + sizeof(int) + sizeof(int));
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
    public void Add(VectorEntry entry)
    {
        _lock.EnterWriteLock();
        try { AddUnlocked(entry); }
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
                AddUnlocked(entry);
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
    /// best first. A query of another length than the index's finds nothing.
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
            var allowed = AllowedCategories(filter);
            var allowedVideos = AllowedVideos(filter);
            var video = -1;
            if (filter.VideoId is { } videoId && !_videoOrdinals.TryGetValue(videoId, out video))
            {
                return [];
            }

            // A min-heap of the best k so far: its root is the weakest kept row, the one a better row displaces.
            var best = new PriorityQueue<long, float>(k + 1);
            for (var slot = 0; slot < _count; slot++)
            {
                if (allowed is not null && !allowed[_categories[slot]])
                {
                    continue;
                }
                if (video >= 0 && _videos[slot] != video)
                {
                    continue;
                }
                if (allowedVideos is not null && !allowedVideos[_videos[slot]])
                {
                    continue;
                }
                var similarity = TensorPrimitives.Dot(query, Row(slot));
                if (best.Count < k)
                {
                    best.Enqueue(_ids[slot], similarity);
                }
                else if (best.TryPeek(out _, out var weakest) && similarity > weakest)
                {
                    best.DequeueEnqueue(_ids[slot], similarity);
                }
            }

            var result = new ScoredId[best.Count];
            for (var i = result.Length - 1; i >= 0; i--)
            {
                best.TryDequeue(out var id, out var similarity);
                result[i] = new ScoredId(id, similarity);
            }
            return result;
        }
        finally { _lock.ExitReadLock(); }
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

    private Span<float> Row(int slot) =>
        _blocks[slot / BlockRows].AsSpan(slot % BlockRows * _dimension, _dimension);

    private void AddUnlocked(VectorEntry entry)
    {
        if (_count == 0)
        {
            _dimension = entry.Vector.Length;
            _blocks.Clear();
        }
        else if (entry.Vector.Length != _dimension)
        {
            throw new ArgumentException(
                $"The vector index holds {_dimension}-dimension vectors; a {entry.Vector.Length}-dimension vector cannot join it. " +
                "Reindex every video after changing the embedding model.", nameof(entry));
        }
        if (_count == _blocks.Count * BlockRows)
        {
            _blocks.Add(new float[BlockRows * _dimension]);
            var capacity = _blocks.Count * BlockRows;
            Array.Resize(ref _ids, capacity);
            Array.Resize(ref _categories, capacity);
            Array.Resize(ref _videos, capacity);
        }
        var slot = _count++;
        entry.Vector.CopyTo(Row(slot));
        _ids[slot] = entry.Id;
        _categories[slot] = CategoryOrdinal(entry.CategoryId);
        _videos[slot] = VideoOrdinal(entry.VideoId);
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

/// <summary>A row id with its score (higher is better).</summary>
public readonly record struct ScoredId(long Id, double Score);
