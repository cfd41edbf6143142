namespace Veeky.Webhooks;

/// <summary>The event types a webhook can subscribe to.</summary>
public static class WebhookEvents
{
    public const string VideoCompleted = "video.completed";
    public const string VideoFailed = "video.failed";
    public const string VideoDeleted = "video.deleted";

    public static IReadOnlyList<string> All { get; } = [VideoCompleted, VideoFailed, VideoDeleted];

    public static IReadOnlyList<string> Split(string events) =>
        events.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
