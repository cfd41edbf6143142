using Microsoft.Extensions.Caching.Memory;
using Veeky.Web.Api;

namespace Veeky.Web.Ask;

/// <summary>
/// Whether the search page offers the Ask box: only while the API has a chat model. The answer is the same for every
/// user and changes only when the API restarts with other settings, so it is kept for a minute rather than asked on
/// every search.
/// </summary>
public sealed class AskOffer(VeekyApiClient api, IMemoryCache cache)
{
    private static readonly object CacheKey = new();
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(1);

    public async Task<bool> IsAvailableAsync(CancellationToken ct)
    {
        if (cache.TryGetValue(CacheKey, out bool available))
        {
            return available;
        }
        try
        {
            available = (await api.GetAskAvailabilityAsync(ct)).Available;
        }
        catch (Exception e) when (e is ApiException or HttpRequestException)
        {
            // An older API without the question, or one unreachable for now: offer the box (asking says what is
            // wrong) and ask again next time.
            return true;
        }
        cache.Set(CacheKey, available, KeptFor);
        return available;
    }
}
