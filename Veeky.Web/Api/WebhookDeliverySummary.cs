namespace Veeky.Web.Api;

/// <summary>One delivery of a webhook: Pending (with its next try), Delivered or Failed, and the last error seen.</summary>
public sealed record WebhookDeliverySummary(Guid Id, string Type, string Status, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt);
