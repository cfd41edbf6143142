using Microsoft.EntityFrameworkCore;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;
using Veeky.Webhooks;

namespace Veeky.Tests.Distributed;

/// <summary>
/// Two API hosts on one PostgreSQL database both run the webhook sender, as replicas do. They poll the same outbox at
/// the same moments; the claim (<c>FOR UPDATE SKIP LOCKED</c>) must hand every delivery to exactly one of them.
/// </summary>
public sealed class WebhookClaimTests(PostgresServer postgres)
{
    private const int Deliveries = 60;
    private const string Secret = "a-test-secret-of-some-length";

    /// <summary>Far above what sending 60 deliveries to loopback takes; only a hang reaches it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hosts_claiming_webhook_deliveries_at_once_send_each_delivery_exactly_once()
    {
        if (postgres.UnavailableReason is { } reason)
        {
            Requires.Unavailable(reason);
        }
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:veeky"] = await postgres.CreateDatabaseAsync(),
            ["Veeky:Webhooks:AllowPrivateNetworks"] = "true",
            // The shortest poll the options allow: the two senders look at the outbox as often as they can.
            ["Veeky:Webhooks:PollInterval"] = "00:00:00.050",
        };
        await using var first = new ApiFactory(settings: settings);
        // The same data folder: the replicas share the data protection keys the webhook secret is encrypted with.
        await using var second = new ApiFactory(first.DataDirectory, settings);
        using var admin = await first.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        using var secondClient = second.CreateClient(); // starts the second host, and with it its sender
        await ApiFactory.CreateAsync(admin, "/api/webhooks", new { url = receiver.Url, events = new[] { WebhookEvents.VideoDeleted }, secret = Secret });

        // All due in one commit, so both senders find the whole batch at their next poll and drain it side by side.
        var videoIds = new List<Guid>();
        await using (var db = first.CreateDbContext())
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < Deliveries; i++)
            {
                var video = new Video
                {
                    Id = Guid.CreateVersion7(), Title = $"Deleted {i}", CategoryId = Guid.NewGuid(), UploaderId = Guid.NewGuid(),
                    Status = VideoStatus.Completed, StoragePath = "videos/none/original.mp4", Sha256 = new string('0', 64),
                    CreatedAt = now, UpdatedAt = now,
                };
                await WebhookOutbox.AddAsync(db, WebhookEvents.VideoDeleted, video, now, Ct);
                videoIds.Add(video.Id);
            }
            await db.SaveChangesAsync(Ct);
        }

        await receiver.WaitForAcceptedAsync(Deliveries, Patience);
        await WaitUntilNonePendingAsync(first);

        // Each video's event arrived once: a delivery claimed by both hosts would arrive twice.
        var arrived = receiver.Received.Select(r => r.Json.GetProperty("data").GetProperty("videoId").GetGuid()).ToList();
        Assert.Equal(videoIds.Order(), arrived.Order());
        Assert.All(receiver.Received, r => Assert.True(WebhookReceiver.IsSignedWith(r.Signature, r.Body, Secret)));
        await using var check = first.CreateDbContext();
        var rows = await check.WebhookDeliveries.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(Deliveries, rows.Count);
        // One attempt each: a second claim counts a second attempt even when its send is the one that loses.
        Assert.All(rows, d => Assert.Equal((WebhookDeliveryStatus.Delivered, 1), (d.Status, d.Attempts)));
    }

    private static async Task WaitUntilNonePendingAsync(ApiFactory host)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await using var db = host.CreateDbContext();
            var pending = await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Pending || d.LeaseOwner != null, Ct);
            if (pending == 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{pending} webhook deliveries are still pending or being sent.");
            await Task.Delay(100, Ct);
        }
    }
}
