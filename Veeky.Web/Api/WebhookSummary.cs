namespace Veeky.Web.Api;

/// <summary>A webhook as <c>GET /api/webhooks</c> lists it (never its secret).</summary>
public sealed record WebhookSummary(Guid Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);
