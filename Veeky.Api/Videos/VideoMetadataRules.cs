using Microsoft.EntityFrameworkCore;
using Veeky.Contracts;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Videos;

/// <summary>The rules for a video's title, keywords and category, shared by upload and edit.</summary>
public static class VideoMetadataRules
{
    public const int MaxTitleLength = Limits.TitleLength;
    public const int MaxDescriptionLength = Limits.DescriptionLength;

    /// <summary>Adds a message per broken field; the category must exist and be visible to the caller (an invisible
    /// category reads as unknown, as it does everywhere else).</summary>
    public static async Task ValidateAsync(string? title, string? description, Guid? categoryId, AccessScope scope,
        VeekyDbContext db, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var trimmed = title?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxTitleLength)
        {
            errors["title"] = [$"The title must have 1 to {MaxTitleLength} characters."];
        }
        if (description is { Length: > MaxDescriptionLength })
        {
            errors["description"] = [$"The description must have at most {MaxDescriptionLength} characters."];
        }
        if (categoryId is not { } id)
        {
            errors["categoryId"] = ["A category is required."];
        }
        else if (!scope.CanSee(id) || !await db.Categories.AnyAsync(c => c.Id == id, ct))
        {
            errors["categoryId"] = ["The category does not exist."];
        }
    }

    /// <summary>Keywords from a comma separated field: trimmed, without blanks or repeats.</summary>
    public static List<string> ParseKeywords(string? commaSeparated) =>
        CleanKeywords((commaSeparated ?? "").Split(','));

    public static List<string> CleanKeywords(IEnumerable<string?> keywords) =>
        keywords.Select(k => k?.Trim() ?? "").Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
