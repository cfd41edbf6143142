using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Web.Search;

/// <summary>
/// One page of moments grouped by video, so a person sees which videos answer and, per video, where: each group holds
/// its video's moments best first, and the groups come in order of their best moment.
/// </summary>
public static class SearchResultGroups
{
    /// <summary>Groups the hits by video. Equal scores keep the API's order, which is already best first.</summary>
    public static IReadOnlyList<VideoMoments> Group(IReadOnlyList<SearchHit> hits)
    {
        var groups = new List<(VideoMoments Group, int FirstSeen)>();
        var byVideo = new Dictionary<Guid, List<(SearchHit Hit, int Position)>>();
        for (var position = 0; position < hits.Count; position++)
        {
            var hit = hits[position];
            if (!byVideo.TryGetValue(hit.VideoId, out var moments))
            {
                byVideo[hit.VideoId] = moments = [];
            }
            moments.Add((hit, position));
        }
        foreach (var (videoId, moments) in byVideo)
        {
            // OrderByDescending is stable: among equal scores the API's order stands.
            var ordered = moments.OrderByDescending(m => m.Hit.Score).Select(m => m.Hit).ToList();
            groups.Add((new VideoMoments(videoId, ordered[0].VideoTitle, ordered[0].Score, ordered), moments[0].Position));
        }
        return [.. groups.OrderByDescending(g => g.Group.BestScore).ThenBy(g => g.FirstSeen).Select(g => g.Group)];
    }
}

/// <summary>A video's moments among the results, best first; <see cref="BestScore"/> is its first moment's score.</summary>
public sealed record VideoMoments(Guid VideoId, string VideoTitle, double BestScore, IReadOnlyList<SearchHit> Moments);
