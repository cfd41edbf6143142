using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Data;
using Veeky.Webhooks;

namespace Veeky.Api.Webhooks;

/// <summary>
/// The outbox as a queue, claimed by the lease claim <see cref="Veeky.Jobs.SqlJobQueue"/> claims jobs with
/// (<see cref="LeaseClaims"/>): one atomic UPDATE takes a due delivery (pending, its time come, no live lease) and counts
/// the attempt; PostgreSQL picks the row with <c>FOR UPDATE SKIP LOCKED</c> so several API hosts never send the same
/// delivery at once, SQLite serialises writers.
/// A host that dies mid-send leaves a lease that runs out, and the delivery is claimed again.
/// </summary>
public sealed class WebhookDeliveryQueue(IDbContextFactory<VeekyDbContext> contexts, TimeProvider clock, IOptions<WebhookOptions> options)
{
    public async Task<WebhookDelivery?> TryClaimAsync(string owner, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        // A read first: most polls find nothing, and an UPDATE would take SQLite's write lock even when it matches no row.
        var due = await db.WebhookDeliveries.AnyAsync(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now
            && (d.LeaseExpiresAt == null || d.LeaseExpiresAt < now), ct);
        if (!due)
        {
            return null;
        }
        return await db.ClaimAsync<WebhookDelivery>(DueDeliveries, owner, now, now + options.Value.Lease, ct);
    }

    /// <summary>A pending delivery whose time has come and that no live lease holds; the longest waiting first.</summary>
    private static readonly LeaseClaim DueDeliveries = new(
        Due: """
            "Status" = @pending AND "NextAttemptAt" <= @now AND ("LeaseExpiresAt" IS NULL OR "LeaseExpiresAt" < @now)
            """,
        OrderBy: "\"NextAttemptAt\"",
        Values: new Dictionary<string, object> { ["pending"] = nameof(WebhookDeliveryStatus.Pending) });

    /// <summary>The receiver took it.</summary>
    public Task DeliveredAsync(WebhookDelivery delivery, string owner, CancellationToken ct) =>
        FinishAsync(delivery, owner, WebhookDeliveryStatus.Delivered, null, null, ct);

    /// <summary>The attempt failed: due again after the next retry delay (with jitter), or failed for good after the last.</summary>
    public Task FailedAsync(WebhookDelivery delivery, string owner, string error, CancellationToken ct)
    {
        var retries = options.Value.Retries;
        if (delivery.Attempts > retries.Count)
        {
            return FinishAsync(delivery, owner, WebhookDeliveryStatus.Failed, error, null, ct);
        }
        var delay = retries[delivery.Attempts - 1];
        var jittered = delay + delay * (Random.Shared.NextDouble() * 0.1);
        return FinishAsync(delivery, owner, WebhookDeliveryStatus.Pending, error, clock.GetUtcNow() + jittered, ct);
    }

    /// <summary>Written only while the lease is still this sender's: a sender that stalled past its lease does not
    /// overwrite what the host that took over wrote.</summary>
    private async Task FinishAsync(WebhookDelivery delivery, string owner, WebhookDeliveryStatus status, string? error,
        DateTimeOffset? nextAttempt, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var trimmed = error is { Length: > 1000 } ? error[..1000] : error;
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.LeaseOwner == owner && d.Attempts == delivery.Attempts)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, status)
                // A delivery that succeeded after retries keeps the error of its last failed try: the admin sees it was shaky.
                .SetProperty(d => d.LastError, d => trimmed ?? d.LastError)
                .SetProperty(d => d.NextAttemptAt, nextAttempt ?? delivery.NextAttemptAt)
                .SetProperty(d => d.LeaseOwner, (string?)null)
                .SetProperty(d => d.LeaseExpiresAt, (DateTimeOffset?)null)
                .SetProperty(d => d.UpdatedAt, now), ct);
    }
}
