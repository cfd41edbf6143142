namespace Veeky.Web.Api;

/// <summary>A key just made, with its secret (<see cref="Key"/>), which the API shows this once.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string Key, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
