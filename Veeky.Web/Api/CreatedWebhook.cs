namespace Veeky.Web.Api;

/// <summary>A new webhook with its signing secret, shown this once.</summary>
public sealed record CreatedWebhook(Guid Id, string Url, IReadOnlyList<string> Events, string Secret, DateTimeOffset CreatedAt);
