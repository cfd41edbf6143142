using Veeky.Identity;
using Veeky.Videos;

namespace Veeky.Api.Videos;

/// <summary>The visibility rule as a query filter: videos outside the caller's categories are never loaded, so
/// every endpoint answers 404 for them without a chance to leak.</summary>
public static class VideoVisibility
{
    public static IQueryable<Video> VisibleTo(this IQueryable<Video> videos, AccessScope scope)
    {
        if (scope.CategoryFilter is not { } categories)
        {
            return videos;
        }
        var ids = categories.ToList();
        return videos.Where(v => ids.Contains(v.CategoryId));
    }

    /// <summary>Whether the caller may edit, reindex or delete a video they can see: admins always, editors their own uploads.</summary>
    public static bool CanModify(this AccessScope scope, Video video) =>
        scope.IsAdmin || (scope.IsEditor && video.UploaderId == scope.UserId);
}
