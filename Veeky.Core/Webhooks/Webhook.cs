namespace Veeky.Webhooks;

/// <summary>An address that is sent a signed POST when a video event it subscribed to happens.</summary>
public sealed class Webhook
{
    public Guid Id { get; set; }
    public required string Url { get; set; }
    /// <summary>The subscribed event types, comma-separated (see <see cref="WebhookEvents"/>).</summary>
    public required string Events { get; set; }
    /// <summary>The signing secret, encrypted by the API's data protection: it must be readable to sign, so it cannot be a hash.</summary>
    public required string ProtectedSecret { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public IReadOnlyList<string> EventList => WebhookEvents.Split(Events);
}
