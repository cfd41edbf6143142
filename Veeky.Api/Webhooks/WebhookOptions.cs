using System.ComponentModel.DataAnnotations;

namespace Veeky.Api.Webhooks;

/// <summary><c>Veeky:Webhooks</c>: how deliveries are sent and retried.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Veeky:Webhooks";

    /// <summary>The waits before the 2nd to 6th attempt: six tries spread over about an hour, long enough to ride out a
    /// receiver's deployment or restart. Each wait gets up to 10% jitter so a receiver coming back is not hit by every
    /// delivery at once.</summary>
    public static readonly TimeSpan[] DefaultRetryDelays =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(30),
    ];

    /// <summary>Allows webhook URLs on loopback, link-local and private addresses (a receiver on the same network). Off by
    /// default: an admin's URL must not become a way to reach the server's own network.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Overrides <see cref="DefaultRetryDelays"/>; one entry per retry (an array the binder would append to if
    /// it had a default, hence nullable).</summary>
    public TimeSpan[]? RetryDelays { get; set; }

    /// <summary>How long a receiver may take to answer. Ten seconds: a receiver should queue the work and answer at once.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is looked at for due deliveries: the latency of a delivery after its event, for the
    /// price of one indexed query per second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IReadOnlyList<TimeSpan> Retries => RetryDelays ?? DefaultRetryDelays;

    /// <summary>Attempts before a delivery fails for good: the first and one per retry.</summary>
    public int MaxAttempts => Retries.Count + 1;

    /// <summary>A claimed delivery is another host's to retry once the sender has had its timeout and then some.</summary>
    public TimeSpan Lease => Timeout * 2 + TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryDelays is { } delays && (delays.Length > 20 || delays.Any(d => d < TimeSpan.Zero || d > TimeSpan.FromDays(1))))
        {
            yield return new ValidationResult(
                $"{Section}:RetryDelays must list at most 20 waits, each from 00:00:00 to 1.00:00:00.", [nameof(RetryDelays)]);
        }
    }
}
