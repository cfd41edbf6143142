using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Veeky.Data;
using Veeky.Redis;
using Veeky.Search;
using Veeky.Search.OpenSearch;
using Veeky.Videos;

namespace Veeky.Api.Admin;

/// <summary>
/// Rewrites the search index from the database: every Completed video with its segments, as the Index stage writes them,
/// then the index drops what it held before and was not rewritten. One rebuild at a time per process.
/// The database keeps no embeddings (they live in the index only), so rebuilt documents are text-only until their
/// videos are indexed again; search falls back to its text leg for them.
/// </summary>
public sealed class SearchIndexRebuilder(IServiceProvider services, DatabaseProvider database, ILogger<SearchIndexRebuilder> logger)
{
    /// <summary>Videos read from the database per query: bounded memory, few round trips.</summary>
    private const int BatchSize = 50;

    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Runs a rebuild, or returns null at once when one is already running in this process.</summary>
    public async Task<SearchRebuildResult?> TryRebuildAsync(CancellationToken ct = default)
    {
        if (!await _running.WaitAsync(0, ct))
        {
            return null;
        }
        try
        {
            var index = ResolveIndex();
            List<Guid> ids;
            await using (var db = new VeekyDbContext(database.CreateOptions()))
            {
                ids = await db.Videos.AsNoTracking().Where(v => v.Status == VideoStatus.Completed)
                    .OrderBy(v => v.Id).Select(v => v.Id).ToListAsync(ct);
            }
            logger.LogInformation("Rebuilding the search index from {Total} completed videos", ids.Count);
            var indexed = await index.RebuildAsync(ReadAsync(ids, ct), ct);
            // The concrete index was written past the cache decorator: no cached answer may outlive the rebuild.
            if (services.GetService<RedisSearchCache>() is { } cache)
            {
                await cache.InvalidateAllAsync(ct);
            }
            return new SearchRebuildResult("completed", indexed, ids.Count);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>The concrete index: the registered <see cref="ISearchIndex"/> may be the Redis cache around it.</summary>
    private IRebuildableSearchIndex ResolveIndex() =>
        services.GetService<OpenSearchIndex>() as IRebuildableSearchIndex
        ?? services.GetService<SqliteSearchIndex>()
        ?? services.GetRequiredService<ISearchIndex>() as IRebuildableSearchIndex
        ?? throw new InvalidOperationException("The configured search index cannot be rebuilt.");

    private async IAsyncEnumerable<(VideoDocument Video, IReadOnlyList<SegmentDocument> Segments)> ReadAsync(
        IReadOnlyList<Guid> ids, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var batch in ids.Chunk(BatchSize))
        {
            List<Video> videos;
            await using (var db = new VeekyDbContext(database.CreateOptions()))
            {
                // Status checked again: a video deleted or sent back to indexing since the id list was read is left out.
                videos = await db.Videos.AsNoTracking().Include(v => v.Segments).AsSplitQuery()
                    .Where(v => batch.Contains(v.Id) && v.Status == VideoStatus.Completed)
                    .OrderBy(v => v.Id).ToListAsync(ct);
            }
            foreach (var video in videos)
            {
                yield return (ToDocument(video), ToSegments(video));
            }
        }
    }

    /// <summary>The same documents <c>IndexStage</c> writes, without the embeddings the database does not hold.</summary>
    private static VideoDocument ToDocument(Video video) =>
        new(video.Id, video.CategoryId, video.Title, video.Description, video.Keywords, video.Summary, video.CreatedAt);

    private static List<SegmentDocument> ToSegments(Video video) =>
        video.Segments.OrderBy(s => s.Index)
            .Select(s => new SegmentDocument(video.Id, s.Index, s.Start, s.End, s.Transcript, s.OcrText, s.Caption, s.Keywords))
            .ToList();
}

/// <summary>The answer of a rebuild: <see cref="Indexed"/> of the <see cref="Total"/> completed videos were written.</summary>
public sealed record SearchRebuildResult(string Status, int Indexed, int Total);
