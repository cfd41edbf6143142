using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Api.Webhooks;
using Veeky.Data;
using Veeky.Tests.Infrastructure;
using Veeky.Webhooks;

namespace Veeky.Tests.Api;

/// <summary>The webhook outbox's claim rules, run against each provider: which delivery a sender gets, and when.</summary>
public abstract class WebhookDeliveryQueueTests
{
    private static readonly WebhookOptions Settings = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<DatabaseProvider> CreateDatabaseAsync();

    private async Task<(DatabaseProvider Provider, WebhookDeliveryQueue Queue, ManualTimeProvider Clock)> CreateQueueAsync()
    {
        var provider = await CreateDatabaseAsync();
        await TestDatabase.Migrator(provider).MigrateAsync(Ct);
        var clock = new ManualTimeProvider();
        return (provider, new WebhookDeliveryQueue(provider.CreateContextFactory(), clock, Options.Create(Settings)), clock);
    }

    /// <summary>A pending delivery of a new webhook, due at <paramref name="dueAt"/>.</summary>
    private static async Task<WebhookDelivery> AddDeliveryAsync(DatabaseProvider provider, DateTimeOffset dueAt)
    {
        await using var db = new VeekyDbContext(provider.CreateOptions());
        var hook = new Webhook
        {
            Id = Guid.NewGuid(), Url = "https://receiver.example/hook", Events = WebhookEvents.VideoDeleted,
            ProtectedSecret = "protected", CreatedAt = dueAt,
        };
        var delivery = new WebhookDelivery
        {
            Id = Guid.CreateVersion7(), WebhookId = hook.Id, EventId = Guid.NewGuid(), Type = WebhookEvents.VideoDeleted,
            Body = "{}", Status = WebhookDeliveryStatus.Pending, NextAttemptAt = dueAt, CreatedAt = dueAt, UpdatedAt = dueAt,
        };
        db.AddRange(hook, delivery);
        await db.SaveChangesAsync(Ct);
        return delivery;
    }

    private static async Task<WebhookDelivery> LoadAsync(DatabaseProvider provider, Guid id)
    {
        await using var db = new VeekyDbContext(provider.CreateOptions());
        return await db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.Id == id, Ct);
    }

    [Fact]
    public async Task A_due_delivery_is_claimed_with_its_attempt_counted_and_not_again_while_the_lease_holds()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var delivery = await AddDeliveryAsync(provider, clock.GetUtcNow());

        var claimed = await queue.TryClaimAsync("host-a", Ct);
        clock.Advance(Settings.Lease - TimeSpan.FromSeconds(1));

        Assert.NotNull(claimed);
        Assert.Equal(delivery.Id, claimed.Id);
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, "host-a"), (claimed.Status, claimed.Attempts, claimed.LeaseOwner));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(1), claimed.LeaseExpiresAt);
        Assert.Null(await queue.TryClaimAsync("host-b", Ct));
    }

    [Fact]
    public async Task A_delivery_is_not_claimed_before_its_next_attempt_is_due()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var delivery = await AddDeliveryAsync(provider, clock.GetUtcNow() + TimeSpan.FromMinutes(1));

        Assert.Null(await queue.TryClaimAsync("host-a", Ct));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(delivery.Id, (await queue.TryClaimAsync("host-a", Ct))?.Id);
    }

    [Fact]
    public async Task A_delivery_whose_sender_died_is_claimed_again_once_its_lease_runs_out()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var delivery = await AddDeliveryAsync(provider, clock.GetUtcNow());
        await queue.TryClaimAsync("dead-host", Ct);

        clock.Advance(Settings.Lease + TimeSpan.FromSeconds(1));
        var again = await queue.TryClaimAsync("host-b", Ct);

        Assert.NotNull(again);
        Assert.Equal((delivery.Id, 2, "host-b"), (again.Id, again.Attempts, again.LeaseOwner));
    }

    [Fact]
    public async Task The_delivery_waiting_longest_is_claimed_first()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var now = clock.GetUtcNow();
        var later = await AddDeliveryAsync(provider, now - TimeSpan.FromMinutes(1));
        var earlier = await AddDeliveryAsync(provider, now - TimeSpan.FromMinutes(5));

        Assert.Equal(earlier.Id, (await queue.TryClaimAsync("host-a", Ct))?.Id);
        Assert.Equal(later.Id, (await queue.TryClaimAsync("host-a", Ct))?.Id);
        Assert.Null(await queue.TryClaimAsync("host-a", Ct));
    }

    [Fact]
    public async Task A_delivered_delivery_is_never_claimed_again_and_a_failed_try_waits_for_its_retry()
    {
        var (provider, queue, clock) = await CreateQueueAsync();
        var delivered = await AddDeliveryAsync(provider, clock.GetUtcNow());
        var failing = await AddDeliveryAsync(provider, clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        await queue.DeliveredAsync((await queue.TryClaimAsync("host-a", Ct))!, "host-a", Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        await queue.FailedAsync((await queue.TryClaimAsync("host-a", Ct))!, "host-a", "503 Service Unavailable", Ct);

        clock.Advance(Settings.Retries[0] - TimeSpan.FromSeconds(1));
        Assert.Null(await queue.TryClaimAsync("host-a", Ct));
        clock.Advance(Settings.Retries[0] * 0.1 + TimeSpan.FromSeconds(1)); // past the most jitter a retry gets
        var retried = await queue.TryClaimAsync("host-a", Ct);

        Assert.Equal((failing.Id, 2), (retried?.Id, retried?.Attempts));
        Assert.Equal(WebhookDeliveryStatus.Delivered, (await LoadAsync(provider, delivered.Id)).Status);
        Assert.Null(await queue.TryClaimAsync("host-a", Ct));
    }
}

public sealed class SqliteWebhookDeliveryQueueTests : WebhookDeliveryQueueTests, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override Task<DatabaseProvider> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite(_folder));

    public void Dispose() => _folder.Dispose();
}

public sealed class PostgresWebhookDeliveryQueueTests(PostgresServer server) : WebhookDeliveryQueueTests
{
    protected override Task<DatabaseProvider> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);
}
