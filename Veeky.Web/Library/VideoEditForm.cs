using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Web.Library;

/// <summary>What the video's edit form posts: keywords as the one comma-separated line people type.</summary>
public sealed class VideoEditForm
{
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public string? Keywords { get; set; }
    public Guid CategoryId { get; set; }

    public static VideoEditForm From(VideoSummary video) => new()
    {
        Title = video.Title,
        Description = video.Description,
        Keywords = string.Join(", ", video.Keywords ?? []),
        CategoryId = video.CategoryId,
    };

    /// <summary>The API's request; it trims, drops empty keywords and validates (title length, category access).</summary>
    public VideoEditRequest ToRequest() => new(
        Title,
        string.IsNullOrWhiteSpace(Description) ? null : Description,
        (Keywords ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
        CategoryId);
}
