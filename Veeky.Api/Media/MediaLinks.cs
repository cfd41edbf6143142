namespace Veeky.Api.Media;

/// <summary>The paths of a video's media files, the same ones the media endpoints are mapped on.</summary>
public static class MediaLinks
{
    public static string StreamPath(Guid videoId) => $"/api/videos/{videoId}/stream";

    public static string ThumbnailPath(Guid videoId) => $"/api/videos/{videoId}/thumbnail";

    public static string KeyframePath(Guid videoId, int segmentIndex) => $"/api/videos/{videoId}/segments/{segmentIndex}/keyframe";

    public static string WebVttCaptionsPath(Guid videoId) => $"/api/videos/{videoId}/captions.vtt";

    public static string SubRipCaptionsPath(Guid videoId) => $"/api/videos/{videoId}/captions.srt";

    public static string SegmentThumbnailPath(Guid videoId, int segmentIndex) => $"/api/videos/{videoId}/segments/{segmentIndex}/thumbnail";
}
