using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Api.Webhooks;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Jobs;
using Veeky.Tests.Infrastructure;
using Veeky.Tests.Pipeline;
using Veeky.Videos;
using Veeky.Webhooks;

namespace Veeky.Tests.Api;

/// <summary>Webhooks: admins register URLs, and video events reach them signed, retried and across restarts.</summary>
public sealed class WebhookTests
{
    private const string Secret = "a-test-secret-of-some-length";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A host whose receivers may be on loopback, looking at the outbox often, retrying after short waits.</summary>
    private static ApiFactory FastHost(string? dataDirectory = null, string retryDelay = "00:00:00.200") => new(dataDirectory, new Dictionary<string, string?>
    {
        ["Veeky:Webhooks:AllowPrivateNetworks"] = "true",
        ["Veeky:Webhooks:PollInterval"] = "00:00:00.100",
        ["Veeky:Webhooks:RetryDelays:0"] = retryDelay,
        ["Veeky:Webhooks:RetryDelays:1"] = retryDelay,
        ["Veeky:Webhooks:RetryDelays:2"] = retryDelay,
    });

    [Fact]
    public async Task Registering_a_webhook_shows_a_generated_secret_once_and_stores_it_encrypted()
    {
        await using var factory = FastHost();
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);

        using var created = await admin.PostAsJsonAsync("/api/webhooks",
            new { url = "http://127.0.0.1:9/hook", events = new[] { "video.deleted", "video.completed" } }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secret = body.GetProperty("secret").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", secret);
        Assert.Equal(["video.completed", "video.deleted"], body.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/webhooks", Ct);
        Assert.False(Assert.Single(listed.EnumerateArray()).TryGetProperty("secret", out _));
        await using var db = factory.CreateDbContext();
        var stored = await db.Webhooks.SingleAsync(Ct);
        Assert.DoesNotContain(secret, stored.ProtectedSecret);
        Assert.Equal(secret, factory.Services.GetRequiredService<WebhookSecrets>().Unprotect(stored.ProtectedSecret));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.0.0.5/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    public async Task A_url_on_a_private_network_is_refused_with_400_and_nothing_is_stored(string url)
    {
        await using var factory = new ApiFactory();
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);

        using var refused = await admin.PostAsJsonAsync("/api/webhooks", new { url, events = new[] { "video.completed" } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("AllowPrivateNetworks", problem.GetProperty("errors").GetProperty("url")[0].GetString());
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Webhooks.AnyAsync(Ct));
    }

    [Fact]
    public async Task Unknown_events_a_missing_url_and_a_short_secret_are_refused_with_400()
    {
        await using var factory = FastHost();
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);

        using var badEvent = await admin.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1/h", events = new[] { "video.created" } }, Ct);
        using var noEvents = await admin.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1/h", events = Array.Empty<string>() }, Ct);
        using var noUrl = await admin.PostAsJsonAsync("/api/webhooks", new { events = new[] { "video.failed" } }, Ct);
        using var ftp = await admin.PostAsJsonAsync("/api/webhooks", new { url = "ftp://127.0.0.1/h", events = new[] { "video.failed" } }, Ct);
        using var shortSecret = await admin.PostAsJsonAsync("/api/webhooks",
            new { url = "http://127.0.0.1/h", events = new[] { "video.failed" }, secret = "short" }, Ct);

        Assert.All([badEvent, noEvents, noUrl, ftp, shortSecret], r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        await using var db = factory.CreateDbContext();
        Assert.False(await db.Webhooks.AnyAsync(Ct));
    }

    [Fact]
    public async Task Only_admins_manage_webhooks()
    {
        await using var factory = FastHost();
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        var id = await ApiFactory.CreateAsync(admin, "/api/webhooks", new { url = "http://127.0.0.1:9/hook", events = new[] { "video.failed" } });
        await ApiFactory.CreateAsync(admin, "/api/users", new { email = "editor@test.local", password = "Test-Passw0rd!", role = Roles.Editor, categoryIds = Array.Empty<Guid>() });
        using var editor = await factory.SignInAsync("editor@test.local", "Test-Passw0rd!");
        using var anonymous = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await editor.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/x", events = new[] { "video.failed" } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync("/api/webhooks", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync($"/api/webhooks/{id}/deliveries", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.DeleteAsync($"/api/webhooks/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/webhooks", Ct)).StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.Webhooks.CountAsync(Ct));
    }

    [Fact]
    public async Task Deleting_a_webhook_removes_it_with_its_deliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 500, 500, 500);
        await using var factory = FastHost(retryDelay: "00:10:00");
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        var id = await ApiFactory.CreateAsync(admin, "/api/webhooks", new { url = receiver.Url, events = new[] { "video.deleted" } });
        await DeleteVideoAsync(factory, admin);
        await WaitForAttemptsAsync(receiver, 1);

        using var deleted = await admin.DeleteAsync($"/api/webhooks/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/webhooks/{id}/deliveries", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/webhooks/{id}", Ct)).StatusCode);
        await using var db = factory.CreateDbContext();
        Assert.False(await db.WebhookDeliveries.AnyAsync(Ct));
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_event_on_the_third_try_and_the_delivery_says_so()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 503);
        await using var factory = FastHost();
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        var id = await ApiFactory.CreateAsync(admin, "/api/webhooks", new { url = receiver.Url, events = new[] { "video.deleted" }, secret = Secret });

        var videoId = await DeleteVideoAsync(factory, admin);

        var accepted = Assert.Single(await receiver.WaitForAcceptedAsync(1, Patience));
        Assert.Equal(3, receiver.Received.Count);
        Assert.True(WebhookReceiver.IsSignedWith(accepted.Signature, accepted.Body, Secret));
        Assert.Equal(videoId, accepted.Json.GetProperty("data").GetProperty("videoId").GetGuid());
        // Every try carried the same event.
        Assert.Single(receiver.Received.Select(r => r.Json.GetProperty("id").GetGuid()).Distinct());
        var delivery = await WaitForDeliveryAsync(admin, id, d => d.GetProperty("status").GetString() == "Delivered");
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal("video.deleted", delivery.GetProperty("type").GetString());
        Assert.Contains("503", delivery.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_stops_after_its_last_retry_as_failed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 500, 500, 500, 500, 500);
        await using var factory = FastHost();
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        var id = await ApiFactory.CreateAsync(admin, "/api/webhooks", new { url = receiver.Url, events = new[] { "video.deleted" } });

        await DeleteVideoAsync(factory, admin);

        // Three retries configured: four tries in all.
        var delivery = await WaitForDeliveryAsync(admin, id, d => d.GetProperty("status").GetString() == "Failed");
        Assert.Equal(4, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(4, receiver.Received.Count);
    }

    [Fact]
    public async Task A_delivery_pending_at_a_restart_is_sent_by_the_restarted_host()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500);
        using var data = new TempFolder("veeky-webhook-restart");
        Guid videoId;
        await using (var first = FastHost(data.Path, retryDelay: "00:00:02"))
        {
            using var admin = await first.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
            await ApiFactory.CreateAsync(admin, "/api/webhooks", new { url = receiver.Url, events = new[] { "video.deleted" }, secret = Secret });
            videoId = await DeleteVideoAsync(first, admin);
            await WaitForAttemptsAsync(receiver, 1);
        }
        Assert.DoesNotContain(receiver.Received, r => r.Accepted);

        await using var second = FastHost(data.Path, retryDelay: "00:00:02");
        _ = second.Server;

        var accepted = Assert.Single(await receiver.WaitForAcceptedAsync(1, Patience));
        Assert.True(WebhookReceiver.IsSignedWith(accepted.Signature, accepted.Body, Secret));
        Assert.Equal(videoId, accepted.Json.GetProperty("data").GetProperty("videoId").GetGuid());
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_at_delivery_time_is_not_called()
    {
        // As if the name had resolved to a public address at registration and to loopback since (DNS rebinding).
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = new ApiFactory(settings: new Dictionary<string, string?>
        {
            ["Veeky:Webhooks:PollInterval"] = "00:00:00.100",
            ["Veeky:Webhooks:RetryDelays:0"] = "00:10:00",
        });
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        var hookUrl = new UriBuilder(receiver.Url) { Host = "localhost" }.Uri;
        var webhookId = Guid.CreateVersion7();
        await using (var db = factory.CreateDbContext())
        {
            db.Webhooks.Add(new Webhook
            {
                Id = webhookId,
                Url = hookUrl.ToString(),
                Events = WebhookEvents.VideoDeleted,
                ProtectedSecret = factory.Services.GetRequiredService<WebhookSecrets>().Protect(Secret),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(Ct);
        }

        await DeleteVideoAsync(factory, admin);

        var delivery = await WaitForDeliveryAsync(admin, webhookId, d => d.GetProperty("attempts").GetInt32() == 1 && d.GetProperty("lastError").GetString() is not null);
        Assert.Contains("private address", delivery.GetProperty("lastError").GetString());
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Completed_failed_and_deleted_videos_each_reach_a_receiver_signed_with_its_secret()
    {
        Requires.Tools(SampleVideoGenerator.Tools);
        var sample = await SampleVideos.ScenesPathAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var factory = FastHost();
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await ApiFactory.CreateAsync(admin, "/api/webhooks",
            new { url = receiver.Url, events = new[] { "video.completed", "video.failed", "video.deleted" }, secret = Secret });
        // The indexer as its own host on the API's database, as in the distributed edition.
        await using var indexer = await IndexerHost.CreateAsync(settings: factory.Settings
            .Where(s => s.Key.StartsWith("ConnectionStrings:", StringComparison.Ordinal) || s.Key == "Veeky:DataDirectory")
            .ToDictionary());
        var completedId = await indexer.AddVideoAsync(sample, "Completes");
        var notAVideo = Path.Combine(factory.DataDirectory, "not-a-video.mp4");
        await File.WriteAllTextAsync(notAVideo, "plain text, not a video", Ct);
        var failedId = await indexer.AddVideoAsync(notAVideo, "Fails");
        await using (var db = indexer.OpenDb())
        {
            // Its last attempt: the failure is final at once instead of after the queue's backoff.
            await db.Jobs.Where(j => j.VideoId == failedId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Attempts, SqlJobQueue.MaxAttempts - 1), Ct);
        }
        await indexer.StartAsync();
        await receiver.WaitForAcceptedAsync(2, TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/videos/{completedId}", Ct)).StatusCode);

        var received = await receiver.WaitForAcceptedAsync(3, Patience);

        Assert.All(received, r => Assert.True(WebhookReceiver.IsSignedWith(r.Signature, r.Body, Secret)));
        var byType = received.ToDictionary(r => r.Json.GetProperty("type").GetString()!, r => r.Json);
        Assert.Equal(["video.completed", "video.deleted", "video.failed"], byType.Keys.Order());
        var completed = byType["video.completed"].GetProperty("data");
        Assert.Equal(completedId, completed.GetProperty("videoId").GetGuid());
        Assert.Equal("Completes", completed.GetProperty("title").GetString());
        Assert.Equal("Completed", completed.GetProperty("status").GetString());
        Assert.False(completed.TryGetProperty("error", out _));
        var failed = byType["video.failed"].GetProperty("data");
        Assert.Equal(failedId, failed.GetProperty("videoId").GetGuid());
        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.False(string.IsNullOrWhiteSpace(failed.GetProperty("error").GetString()));
        Assert.Equal(completedId, byType["video.deleted"].GetProperty("data").GetProperty("videoId").GetGuid());
        Assert.All(byType.Values, e => Assert.NotEqual(Guid.Empty, e.GetProperty("id").GetGuid()));
        Assert.All(byType.Values, e => Assert.NotEqual(default, e.GetProperty("occurredAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task Every_completion_is_delivered_once_and_the_latency_after_the_status_write_is_reported()
    {
        const int completions = 20;
        await using var receiver = await WebhookReceiver.StartAsync();
        // The default poll interval: the latency measured is the one an installation gets.
        await using var factory = new ApiFactory(settings: new Dictionary<string, string?> { ["Veeky:Webhooks:AllowPrivateNetworks"] = "true" });
        using var admin = await factory.SignInAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        await ApiFactory.CreateAsync(admin, "/api/webhooks", new { url = receiver.Url, events = new[] { "video.completed" }, secret = Secret });
        var written = new Dictionary<Guid, DateTimeOffset>();
        for (var i = 0; i < completions; i++)
        {
            // The completion write as the pipeline makes it: status and outbox in one transaction.
            var videoId = await AddVideoAsync(factory, VideoStatus.Processing);
            await using var db = factory.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            var now = DateTimeOffset.UtcNow;
            await db.Videos.Where(v => v.Id == videoId).ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, VideoStatus.Completed), Ct);
            await WebhookOutbox.AddAsync(db, WebhookEvents.VideoCompleted, videoId, now, Ct);
            await db.SaveChangesAsync(Ct);
            await transaction.CommitAsync(Ct);
            written[videoId] = now;
            await Task.Delay(Random.Shared.Next(50, 400), Ct);
        }

        var received = await receiver.WaitForAcceptedAsync(completions, Patience);

        Assert.Equal(written.Keys.Order(), received.Select(r => r.Json.GetProperty("data").GetProperty("videoId").GetGuid()).Order());
        var latencies = received.Select(r => (r.ArrivedAt - written[r.Json.GetProperty("data").GetProperty("videoId").GetGuid()]).TotalMilliseconds)
            .Order().ToList();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Webhook delivery latency after completion over {completions}: p50 {latencies[completions / 2]:0} ms, max {latencies[^1]:0} ms");
    }

    /// <summary>A video row of the admin's in a new category, as an upload leaves it.</summary>
    private static async Task<Guid> AddVideoAsync(ApiFactory factory, VideoStatus status)
    {
        await using var db = factory.CreateDbContext();
        var now = DateTimeOffset.UtcNow;
        var admin = await db.Users.SingleAsync(u => u.Email == ApiFactory.AdminEmail, Ct);
        var category = new Category { Id = Guid.NewGuid(), Name = $"Category {Guid.NewGuid():N}", CreatedAt = now };
        var video = new Video
        {
            Id = Guid.CreateVersion7(), Title = "Webhook sample", CategoryId = category.Id, UploaderId = admin.Id, Status = status,
            StoragePath = "videos/none/original.mp4", Sha256 = new string('0', 64), CreatedAt = now, UpdatedAt = now,
        };
        db.Categories.Add(category);
        db.Videos.Add(video);
        await db.SaveChangesAsync(Ct);
        return video.Id;
    }

    /// <summary>Deletes a new video through the API, which raises <c>video.deleted</c>.</summary>
    private static async Task<Guid> DeleteVideoAsync(ApiFactory factory, HttpClient admin)
    {
        var videoId = await AddVideoAsync(factory, VideoStatus.Completed);
        using var deleted = await admin.DeleteAsync($"/api/videos/{videoId}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        return videoId;
    }

    private static async Task WaitForAttemptsAsync(WebhookReceiver receiver, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (receiver.Received.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {receiver.Received.Count} of {count} webhook requests arrived.");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<JsonElement> WaitForDeliveryAsync(HttpClient admin, Guid webhookId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var deliveries = await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{webhookId}/deliveries", Ct);
            var delivery = Assert.Single(deliveries.EnumerateArray());
            if (done(delivery))
            {
                return delivery;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The delivery did not get there: {delivery}");
            await Task.Delay(100, Ct);
        }
    }
}
