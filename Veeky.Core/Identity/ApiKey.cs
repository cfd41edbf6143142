namespace Veeky.Identity;

/// <summary>
/// A long-lived secret a user made for scripts and MCP clients. It acts as its user (their current role and
/// categories); only the SHA-256 hash of the secret is stored, so a copy of the database cannot be used to sign in.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }

    /// <summary>What the user called it ("backup script"), to tell keys apart when revoking one.</summary>
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the whole key as sent (<c>vk_…</c>); looked up by equality.</summary>
    public string Hash { get; set; } = "";

    /// <summary>The key's first characters (<c>vk_AbCd</c>), shown in lists so a person recognises a key they hold.</summary>
    public string Prefix { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>After this the key is refused; null when it never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>When the key was last accepted, to the minute (written at most once a minute per key).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}
