using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.Search;

namespace Veeky.Redis;

/// <summary>
/// Search answers cached briefly in Redis per (normalised request, access scope). Invalidation is by generation
/// counters that are part of every key, so a change never has to find the keys it makes stale:
/// <list type="bullet">
/// <item><c>veeky:searchgen:{categoryId}</c> — bumped when a video of that category changes; in the key of every
/// scope that includes the category;</item>
/// <item><c>veeky:searchgen:all</c> — bumped by every change; in the key of the admin scope, which sees all;</item>
/// <item><c>veeky:searchgen:global</c> — bumped when a change's categories are not known; in every key.</item>
/// </list>
/// Every method fails soft: when Redis is unreachable a lookup is a miss and a store or bump is skipped (logged), so a
/// search never fails because of its cache.
/// </summary>
public sealed class RedisSearchCache(RedisClient client, IOptions<RedisOptions> options, ILogger<RedisSearchCache> logger)
{
    private const string KeyPrefix = "veeky:search:";
    private const string GenerationPrefix = "veeky:searchgen:";
    private const string AllCategoriesGeneration = GenerationPrefix + "all";
    private const string GlobalGeneration = GenerationPrefix + "global";

    /// <summary>Which category each indexed video is in, so a delete or a move to another category also invalidates the
    /// category it leaves (the API deletes what an indexer wrote; no process can rely on memory of its own).</summary>
    private const string VideoCategoryPrefix = "veeky:searchvideo:";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The cache key for this request under the current generations, or null when Redis is unreachable.</summary>
    public async Task<string?> KeyForAsync(SearchRequest request, CancellationToken ct = default)
    {
        var scope = request.Scope.CategoryFilter is { } categories
            ? categories.Order().Select(c => c.ToString("N")).ToList()
            : null;
        List<string> generationKeys = [GlobalGeneration, .. scope is null ? [AllCategoriesGeneration] : scope.Select(c => GenerationPrefix + c)];
        string?[] generations;
        try
        {
            // Pipelined on the one connection: n GETs cost about one round trip.
            generations = await Task.WhenAll(generationKeys.Select(k => client.GetAsync(k, ct)));
        }
        catch (RedisException ex)
        {
            logger.LogDebug("Search cache skipped: {Reason}", ex.Message);
            return null;
        }

        var text = new StringBuilder("v2\n")
            .Append(Normalise(request.Query)).Append('\n')
            .Append(request.Mode).Append('\n')
            .Append(request.CategoryId?.ToString("N")).Append('\n')
            .Append(request.VideoId?.ToString("N")).Append('\n')
            // As UTC ticks: one instant written with two offsets is one range, and so one key.
            .Append(request.CreatedFrom?.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(request.CreatedTo?.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(request.Limit.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(request.Offset.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Fingerprint(request.QueryEmbedding)).Append('\n')
            .Append(Fingerprint(request.QueryImageEmbedding)).Append('\n')
            .Append(scope is null ? "admin" : string.Join(',', scope)).Append('\n')
            .AppendJoin(',', generations.Select(g => g ?? "0"));
        return KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The cached answer, or null on a miss or when Redis is unreachable.</summary>
    public async Task<SearchResult?> GetAsync(string key, CancellationToken ct = default)
    {
        try
        {
            var json = await client.GetAsync(key, ct);
            return json is null ? null : JsonSerializer.Deserialize<SearchResult>(json, Json);
        }
        catch (Exception ex) when (ex is RedisException or JsonException)
        {
            logger.LogDebug("Search cache read of {Key} failed: {Reason}", key, ex.Message);
            return null;
        }
    }

    public async Task SetAsync(string key, SearchResult result, CancellationToken ct = default)
    {
        try
        {
            await client.SetAsync(key, JsonSerializer.Serialize(result, Json), options.Value.SearchCacheDuration, ct);
        }
        catch (RedisException ex)
        {
            logger.LogDebug("Search cache write of {Key} failed: {Reason}", key, ex.Message);
        }
    }

    /// <summary>Invalidates every cached answer (after the index was rewritten past the cache, e.g. a rebuild).</summary>
    public async Task InvalidateAllAsync(CancellationToken ct = default)
    {
        try
        {
            await client.IncrementAsync(GlobalGeneration, ct);
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Could not invalidate cached searches: {Reason}; answers may be stale for up to {Duration}",
                ex.Message, options.Value.SearchCacheDuration);
        }
    }

    /// <summary>Invalidates every cached answer that could contain the video: its new category (when known), the
    /// category it was in before, and the admin scope. When neither category is known, every answer.</summary>
    public async Task VideoChangedAsync(Guid videoId, Guid? categoryId, CancellationToken ct = default)
    {
        var mappingKey = VideoCategoryPrefix + videoId.ToString("N");
        try
        {
            Guid? previous = Guid.TryParse(await client.GetAsync(mappingKey, ct), out var p) ? p : null;
            List<string> bumps = [AllCategoriesGeneration];
            if (categoryId is { } current)
            {
                bumps.Add(GenerationPrefix + current.ToString("N"));
            }
            if (previous is { } old && old != categoryId)
            {
                bumps.Add(GenerationPrefix + old.ToString("N"));
            }
            if (previous is null)
            {
                // Redis has no record of where the video was (indexed before the cache existed, or Redis lost its data):
                // it may be leaving a category, so no scope can be trusted.
                bumps.Add(GlobalGeneration);
            }
            await Task.WhenAll(bumps.Select(k => client.IncrementAsync(k, ct)));
            if (categoryId is { } category)
            {
                await client.SetAsync(mappingKey, category.ToString("N"), ct: ct);
            }
            else
            {
                await client.DeleteAsync(mappingKey, ct);
            }
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Could not invalidate cached searches for video {VideoId}: {Reason}; answers may be stale for up to {Duration}",
                videoId, ex.Message, options.Value.SearchCacheDuration);
        }
    }

    /// <summary>Case and spacing do not change what the index finds (both analyzers lowercase and tokenise).</summary>
    private static string Normalise(string query) =>
        string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static string Fingerprint(float[]? vector) =>
        vector is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(vector.AsSpan())));
}
