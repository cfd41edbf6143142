using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
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
/// search never fails because of its cache. (HybridCache was considered: its tag invalidation does not reach the
/// in-memory copies other processes hold, which these counters do, and a second in-memory layer would serve a
/// replica stale answers after another replica changed a video.)
/// </summary>
public sealed class RedisSearchCache(IConnectionMultiplexer redis, IOptions<RedisOptions> options, ILogger<RedisSearchCache> logger)
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
        if (!redis.IsConnected)
        {
            // Not even a lookup: between reconnection attempts it would wait out the command timeout.
            return null;
        }
        var scope = request.Scope.CategoryFilter is { } categories
            ? categories.Order().Select(c => c.ToString("N")).ToList()
            : null;
        List<string> generationKeys = [GlobalGeneration, .. scope is null ? [AllCategoriesGeneration] : scope.Select(c => GenerationPrefix + c)];
        RedisValue[] generations;
        try
        {
            // One MGET: one round trip however many categories the scope holds.
            generations = await Database.StringGetAsync([.. generationKeys.Select(k => (RedisKey)k)]).WaitAsync(ct);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            logger.LogDebug("Search cache skipped: {Reason}", ex.Message);
            return null;
        }

        var text = new StringBuilder("v4\n")
            .Append(Normalise(request.Query)).Append('\n')
            .Append(request.Mode).Append('\n')
            .Append(request.CategoryId?.ToString("N")).Append('\n')
            .Append(request.VideoId?.ToString("N")).Append('\n')
            // As UTC ticks: one instant written with two offsets is one range, and so one key.
            .Append(request.CreatedFrom?.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(request.CreatedTo?.UtcTicks.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(request.Limit.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(request.Offset.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(request.Matches.ToString()).Append('\n')
            .Append(Fingerprint(request.QueryEmbedding)).Append('\n')
            .Append(Fingerprint(request.QueryImageEmbedding)).Append('\n')
            .Append(scope is null ? "admin" : string.Join(',', scope)).Append('\n')
            .AppendJoin(',', generations.Select(g => g.IsNull ? "0" : g.ToString()));
        return KeyPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The cached answer, or null on a miss or when Redis is unreachable.</summary>
    public async Task<SearchResult?> GetAsync(string key, CancellationToken ct = default)
    {
        if (!redis.IsConnected)
        {
            return null;
        }
        try
        {
            var json = await Database.StringGetAsync(key).WaitAsync(ct);
            return json.IsNull ? null : JsonSerializer.Deserialize<SearchResult>(json.ToString(), Json);
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is JsonException)
        {
            logger.LogDebug("Search cache read of {Key} failed: {Reason}", key, ex.Message);
            return null;
        }
    }

    public async Task SetAsync(string key, SearchResult result, CancellationToken ct = default)
    {
        if (!redis.IsConnected)
        {
            return;
        }
        try
        {
            await Database.StringSetAsync(key, JsonSerializer.Serialize(result, Json), options.Value.SearchCacheDuration).WaitAsync(ct);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            logger.LogDebug("Search cache write of {Key} failed: {Reason}", key, ex.Message);
        }
    }

    /// <summary>Invalidates every cached answer (after the index was rewritten past the cache, e.g. a rebuild).</summary>
    public async Task InvalidateAllAsync(CancellationToken ct = default)
    {
        if (!redis.IsConnected)
        {
            logger.LogDebug("Cached searches not invalidated: Redis is not connected");
            return;
        }
        try
        {
            await Database.StringIncrementAsync(GlobalGeneration).WaitAsync(ct);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            logger.LogWarning("Could not invalidate cached searches: {Reason}; answers may be stale for up to {Duration}",
                RedisFailureReason.Describe(ex), options.Value.SearchCacheDuration);
        }
    }

    /// <summary>Invalidates every cached answer that could contain the video: its new category (when known), the
    /// category it was in before, and the admin scope. When neither category is known, every answer.</summary>
    public async Task VideoChangedAsync(Guid videoId, Guid? categoryId, CancellationToken ct = default)
    {
        if (!redis.IsConnected)
        {
            // The outage is logged once (RedisConnectionLog); answers cached before it expire within the cache duration.
            logger.LogDebug("Cached searches for video {VideoId} not invalidated: Redis is not connected", videoId);
            return;
        }
        var mappingKey = VideoCategoryPrefix + videoId.ToString("N");
        try
        {
            var db = Database;
            Guid? previous = Guid.TryParse((string?)await db.StringGetAsync(mappingKey).WaitAsync(ct), out var p) ? p : null;
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
            // Pipelined on the one connection: n increments cost about one round trip.
            await Task.WhenAll(bumps.Select(k => db.StringIncrementAsync(k))).WaitAsync(ct);
            if (categoryId is { } category)
            {
                await db.StringSetAsync(mappingKey, category.ToString("N")).WaitAsync(ct);
            }
            else
            {
                await db.KeyDeleteAsync(mappingKey).WaitAsync(ct);
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            logger.LogWarning("Could not invalidate cached searches for video {VideoId}: {Reason}; answers may be stale for up to {Duration}",
                videoId, RedisFailureReason.Describe(ex), options.Value.SearchCacheDuration);
        }
    }

    /// <summary>The database the connection string names (<c>defaultDatabase</c>, else 0).</summary>
    private IDatabase Database => redis.GetDatabase();

    /// <summary>Redis unreachable, refusing (a wrong password) or too slow: the cache steps aside.</summary>
    private static bool IsRedisFailure(Exception ex) => ex is RedisException or RedisTimeoutException;

    /// <summary>Case and spacing do not change what the index finds (both analyzers lowercase and tokenise).</summary>
    private static string Normalise(string query) =>
        string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static string Fingerprint(float[]? vector) =>
        vector is null ? "-" : Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(vector.AsSpan())));
}
