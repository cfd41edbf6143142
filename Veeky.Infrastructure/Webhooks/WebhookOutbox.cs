using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Veeky.Data;
using Veeky.Videos;

namespace Veeky.Webhooks;

/// <summary>
/// Adds a video event's deliveries, one per subscribed webhook, to the caller's context without saving: the caller saves
/// them in the same transaction as the status change, so an event is never lost and never sent for a change that was
/// rolled back.
/// </summary>
public static class WebhookOutbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static async Task AddAsync(VeekyDbContext db, string type, Video video, DateTimeOffset occurredAt, CancellationToken ct = default)
    {
        // Few webhooks exist; filtering the comma-separated list here keeps the SQL the same on both providers.
        var hooks = await db.Webhooks.AsNoTracking().Select(h => new { h.Id, h.Events }).ToListAsync(ct);
        var subscribed = hooks.Where(h => WebhookEvents.Split(h.Events).Contains(type)).Select(h => h.Id).ToList();
        if (subscribed.Count == 0)
        {
            return;
        }
        var eventId = Guid.CreateVersion7();
        var data = new WebhookVideoData(video.Id, video.Title, video.CategoryId, video.Status, video.Error);
        var body = JsonSerializer.Serialize(new WebhookEventBody(eventId, type, occurredAt, data), Json);
        foreach (var webhookId in subscribed)
        {
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                Id = Guid.CreateVersion7(),
                WebhookId = webhookId,
                EventId = eventId,
                Type = type,
                Body = body,
                Status = WebhookDeliveryStatus.Pending,
                NextAttemptAt = occurredAt,
                CreatedAt = occurredAt,
                UpdatedAt = occurredAt,
            });
        }
    }

    /// <summary>As <see cref="AddAsync(VeekyDbContext, string, Video, DateTimeOffset, CancellationToken)"/> for a video
    /// read from the database; nothing when it no longer exists.</summary>
    public static async Task AddAsync(VeekyDbContext db, string type, Guid videoId, DateTimeOffset occurredAt, CancellationToken ct = default)
    {
        var video = await db.Videos.AsNoTracking().FirstOrDefaultAsync(v => v.Id == videoId, ct);
        if (video is not null)
        {
            await AddAsync(db, type, video, occurredAt, ct);
        }
    }
}

/// <summary>What a receiver gets: <c>{id, type, occurredAt, data}</c>.</summary>
public sealed record WebhookEventBody(Guid Id, string Type, DateTimeOffset OccurredAt, WebhookVideoData Data);

/// <summary>The video an event is about; <c>status</c> is the video's status when the event happened.</summary>
public sealed record WebhookVideoData(Guid VideoId, string Title, Guid CategoryId, VideoStatus Status, string? Error);
