namespace Veeky.Redis;

/// <summary>Settings under <c>Veeky:Redis</c>; where Redis is comes from <c>ConnectionStrings:redis</c>.</summary>
public sealed class RedisOptions
{
    public const string Section = "Veeky:Redis";

    /// <summary>How long a search answer is served from the cache. 30 s: long enough to absorb search-as-you-type
    /// bursts and popular queries, short enough that anything the generation counters miss (a change while Redis was
    /// unreachable) heals quickly.</summary>
    public TimeSpan SearchCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
