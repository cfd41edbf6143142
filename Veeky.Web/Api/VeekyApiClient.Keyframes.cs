using System.Globalization;
using Veeky.Contracts;

namespace Veeky.Web.Api;

/// <summary>The library card's keyframe scrub.</summary>
public sealed partial class VeekyApiClient
{
    /// <summary>Up to <paramref name="count"/> keyframe thumbnails spread over the video, or null when the video does not
    /// exist for this user.</summary>
    public Task<IReadOnlyList<VideoKeyframe>?> FindKeyframesAsync(Guid id, int count, CancellationToken ct = default) =>
        FindAsync<IReadOnlyList<VideoKeyframe>>($"api/videos/{id}/keyframes?count={count.ToString(CultureInfo.InvariantCulture)}", ct);
}
