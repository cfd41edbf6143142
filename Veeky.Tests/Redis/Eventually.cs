namespace Veeky.Tests.Redis;

/// <summary>Polls a condition that becomes true asynchronously (an expiry, a reconnect), with a bounded wait so a
/// broken implementation fails instead of hanging.</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(25);
        }
        return await condition();
    }
}
