namespace Veeky.Web.Api;

/// <summary>The body of <c>PUT /api/videos/{id}</c>: every editable field at once.</summary>
public sealed record VideoEditRequest(string Title, string? Description, IReadOnlyList<string> Keywords, Guid CategoryId)
{
    /// <summary>The video's fields as they are, to change one of them (a bulk move changes the category only).</summary>
    public static VideoEditRequest From(VideoSummary video) =>
        new(video.Title, video.Description, video.Keywords ?? [], video.CategoryId);
}
