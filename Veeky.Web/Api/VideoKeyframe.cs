namespace Veeky.Web.Api;

/// <summary>One keyframe of <c>GET /api/videos/{id}/keyframes</c>: its segment, where it is (seconds) and its signed thumbnail link.</summary>
public sealed record VideoKeyframe(int SegmentIndex, double Start, string ThumbnailUrl);
