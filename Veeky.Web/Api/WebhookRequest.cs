namespace Veeky.Web.Api;

/// <summary>The body of <c>POST /api/webhooks</c>; a null secret has the API generate one.</summary>
public sealed record WebhookRequest(string Url, IReadOnlyList<string> Events, string? Secret);
