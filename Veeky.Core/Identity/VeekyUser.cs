using Microsoft.AspNetCore.Identity;

namespace Veeky.Identity;

/// <summary>A person who signs in to Veeky: one role and the categories they may see.</summary>
public sealed class VeekyUser : IdentityUser<Guid>
{
    public string Role { get; set; } = Roles.User;
    public List<UserCategory> Categories { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Assignment of a category to a user.</summary>
public sealed class UserCategory
{
    public Guid UserId { get; set; }
    public Guid CategoryId { get; set; }
}

/// <summary>The three roles of API.md.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Editor = "Editor";
    public const string User = "User";

    public static readonly IReadOnlyList<string> All = [Admin, Editor, User];

    /// <summary>The canonical spelling of a role name given in any case, or null if it is not a role.</summary>
    public static string? Normalize(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}
