using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Veeky.Api.Identity;

/// <summary>
/// Slows password guessing per client address instead of locking accounts: locking let anyone lock out any user,
/// the admin included, by typing a wrong password five times. Each client has a token bucket of failed sign-ins
/// (ASP.NET Core's rate limiter); successful sign-ins cost nothing, so an office behind one address is not punished
/// for its people signing in. The address is the one the forwarded headers name when a trusted proxy sent them.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _refill;

    public SignInThrottle(IOptions<SignInThrottleOptions> options)
    {
        var settings = options.Value;
        _refill = settings.FailureRefill;
        _failures = PartitionedRateLimiter.Create<string, string>(client =>
            RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.FailureBurst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = settings.FailureRefill,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Null when this client may try a password now; else how long until it may, at most.</summary>
    public TimeSpan? Refusal(HttpContext context)
    {
        // A whole token is needed: the partitioned limiter refills the bucket in small fractions, and asking it for zero
        // permits would answer yes to a bucket holding a sliver.
        var available = _failures.GetStatistics(ClientKey(context))?.CurrentAvailablePermits ?? 1;
        return available >= 1 ? null : _refill;
    }

    /// <summary>Counts a failed sign-in against the client.</summary>
    public void RecordFailure(HttpContext context)
    {
        using var _ = _failures.AttemptAcquire(ClientKey(context));
    }

    /// <summary>The client's address; IPv6 clients by their /64, which one household or host usually holds whole.</summary>
    public static string ClientKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return address.ToString();
    }

    public void Dispose() => _failures.Dispose();
}

/// <summary>Settings under <c>Veeky:SignIn</c>: how many wrong passwords a client may send before it must wait.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "Veeky:SignIn";

    /// <summary>Failed sign-ins a client may make in a row. Ten leaves room for a person's typos and caps-lock.</summary>
    [Range(1, 10_000)]
    public int FailureBurst { get; set; } = 10;

    /// <summary>After the burst, one more attempt per this period: 30 s allows 120 guesses an hour per address,
    /// far too few for guessing a password, and a person locked out waits half a minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureRefill { get; set; } = TimeSpan.FromSeconds(30);
}
