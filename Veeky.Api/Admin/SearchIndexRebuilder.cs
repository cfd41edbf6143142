using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Veeky.Configs;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Redis;
using Veeky.Search;
using Veeky.Search.OpenSearch;
using Veeky.Videos;

namespace Veeky.Api.Admin;

/// <summary>
/// Rewrites the search index from the database: every Completed video with its segments, as the Index stage writes them,
/// then the index drops what it held before and was not rewritten. One rebuild at a time per process.
/// The segments' embeddings come from the database too, so semantic and image search come back without a model call;
/// a vector made by another model than the one queries are now embedded with (the admin changed the embedding model,
/// or the category its image model) is left out, since it is not comparable, until its video is indexed again.
/// </summary>
public sealed class SearchIndexRebuilder(IServiceProvider services, IDbContextFactory<VeekyDbContext> contexts, ILogger<SearchIndexRebuilder> logger)
{
    /// <summary>Videos read from the database per query: bounded memory (with their segments' embeddings, a few kilobytes
    /// per segment), few round trips.</summary>
    private const int BatchSize = 20;

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
            await using (var db = contexts.CreateDbContext())
            {
                ids = await db.Videos.AsNoTracking().Where(v => v.Status == VideoStatus.Completed)
                    .OrderBy(v => v.Id).Select(v => v.Id).ToListAsync(ct);
            }
            var models = await CurrentModelsAsync(ct);
            logger.LogInformation("Rebuilding the search index from {Total} completed videos", ids.Count);
            var stale = new StaleVectors();
            var indexed = await index.RebuildAsync(ReadAsync(ids, models, stale, ct), ct);
            if (stale.Text + stale.Image > 0)
            {
                logger.LogWarning(
                    "Rebuild left out {Text} text and {Image} image embeddings made by another model than the current one; reindex those videos to restore them",
                    stale.Text, stale.Image);
            }
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

    /// <summary>The text model queries are embedded with now (null: none configured, or unknown), and each category's
    /// image model.</summary>
    private async Task<CurrentModels> CurrentModelsAsync(CancellationToken ct)
    {
        string? text = null;
        if (services.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is { } generator)
        {
            var setting = services.GetService<IConfigStore>() is { } configs
                ? (await configs.GetLlmSettingAsync(LlmPurposes.Embedding, ct))?.Model
                : null;
            text = SegmentEmbeddingModels.TextModel(generator, setting);
        }
        await using var db = contexts.CreateDbContext();
        var images = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.ImageEmbeddingModel, ct);
        return new CurrentModels(text, images);
    }

    private async IAsyncEnumerable<(VideoDocument Video, IReadOnlyList<SegmentDocument> Segments)> ReadAsync(
        IReadOnlyList<Guid> ids, CurrentModels models, StaleVectors stale, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var batch in ids.Chunk(BatchSize))
        {
            List<Video> videos;
            await using (var db = contexts.CreateDbContext())
            {
                // Status checked again: a video deleted or sent back to indexing since the id list was read is left out.
                videos = await db.Videos.AsNoTracking().Include(v => v.Segments).AsSplitQuery()
                    .Where(v => batch.Contains(v.Id) && v.Status == VideoStatus.Completed)
                    .OrderBy(v => v.Id).ToListAsync(ct);
            }
            foreach (var video in videos)
            {
                yield return (VideoDocument.From(video), ToSegments(video, models, stale));
            }
        }
    }

    private static List<SegmentDocument> ToSegments(Video video, CurrentModels models, StaleVectors stale)
    {
        var imageModel = models.Images.GetValueOrDefault(video.CategoryId);
        return video.Segments.OrderBy(s => s.Index)
            .Select(s => SegmentDocument.From(s,
                Matching(s.TextEmbedding, s.TextEmbeddingModel, models.Text, ref stale.Text),
                Matching(s.ImageEmbedding, s.ImageEmbeddingModel, string.IsNullOrWhiteSpace(imageModel) ? "" : imageModel, ref stale.Image)))
            .ToList();
    }

    /// <summary>The stored vector when the model that made it is the current one; an unknown model on either side
    /// (null) keeps it, since nothing says it changed. An empty <paramref name="current"/> means no model now.</summary>
    private static float[]? Matching(float[]? vector, string? storedModel, string? current, ref int stale)
    {
        if (vector is null || storedModel is null || current is null || string.Equals(storedModel, current, StringComparison.Ordinal))
        {
            return vector;
        }
        stale++;
        return null;
    }

    private sealed record CurrentModels(string? Text, IReadOnlyDictionary<Guid, string?> Images);

    /// <summary>Vectors left out because another model made them (counted for the log).</summary>
    private sealed class StaleVectors
    {
        public int Text;
        public int Image;
    }
}
