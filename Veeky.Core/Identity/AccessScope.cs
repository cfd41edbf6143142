namespace Veeky.Identity;

/// <summary>
/// What one caller may see, resolved from the database at each request so a change of role or categories applies
/// at once. Every query that returns videos, segments or hits filters by it.
/// </summary>
public sealed record AccessScope(Guid UserId, string Role, IReadOnlySet<Guid> CategoryIds)
{
    public bool IsAdmin => Role == Roles.Admin;
    public bool IsEditor => Role == Roles.Editor;

    /// <summary>Whether videos of this category exist for the caller.</summary>
    public bool CanSee(Guid categoryId) => IsAdmin || CategoryIds.Contains(categoryId);

    /// <summary>Null when the caller sees every category; otherwise the categories to filter by.</summary>
    public IReadOnlySet<Guid>? CategoryFilter => IsAdmin ? null : CategoryIds;

    /// <summary>A scope that sees everything, for the indexer and maintenance work.</summary>
    public static AccessScope System { get; } = new(Guid.Empty, Roles.Admin, new HashSet<Guid>());
}
