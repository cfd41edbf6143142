namespace Veeky.Webhooks;

/// <summary>
/// One event to send to one webhook: a row of the outbox, written in the same transaction as the change it reports, so
/// it survives a restart. While <see cref="LeaseOwner"/> holds an unexpired lease a delivery worker is sending it.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid WebhookId { get; set; }
    /// <summary>The event's id, the same in every webhook's copy, so a receiver can drop a repeat.</summary>
    public Guid EventId { get; set; }
    public required string Type { get; set; }
    /// <summary>The JSON body, fixed when the event happened; each attempt signs it afresh with the time of sending.</summary>
    public required string Body { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Pending until a receiver answers 2xx (Delivered) or the last retry fails (Failed).</summary>
public enum WebhookDeliveryStatus { Pending, Delivered, Failed }
