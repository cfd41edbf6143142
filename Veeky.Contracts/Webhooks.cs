namespace Veeky.Contracts;

/// <summary>Body of <c>POST /api/webhooks</c>; a null secret has the API generate one.</summary>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string?>? Events, string? Secret);

/// <summary>A webhook as <c>GET /api/webhooks</c> lists it (never its secret).</summary>
public sealed record WebhookSummary(Guid Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);

/// <summary>A new webhook with its signing secret, shown this once.</summary>
public sealed record CreatedWebhook(Guid Id, string Url, IReadOnlyList<string> Events, string Secret, DateTimeOffset CreatedAt);

/// <summary>One delivery of a webhook: <c>Pending</c> (with its next try), <c>Delivered</c> or <c>Failed</c>, and the
/// last error seen.</summary>
public sealed record WebhookDeliverySummary(Guid Id, string Type, string Status, int Attempts, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt);
