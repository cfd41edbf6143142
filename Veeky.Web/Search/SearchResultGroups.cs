using Veeky.Contracts;
using Veeky.Web.Api;

namespace Veeky.Web.Search;

/// <summary>
/// One page of results grouped by video, so a person sees which videos answer and, per video, where: each group holds
/// its video's moments best first, and the groups come in order of their best moment. A video that matches only by its
/// title, description or keywords is one row (<see cref="SearchMatch.Video"/>): its group holds that row alone, after the
/// groups with moments, as the API ranks it; a video with moments too keeps its row below them.
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
        foreach (var (videoId, found) in byVideo)
        {
            // OrderByDescending is stable: among equal scores the API's order stands.
            var moments = found.Where(m => m.Hit.MatchedIn != SearchMatch.Video).OrderByDescending(m => m.Hit.Score).Select(m => m.Hit).ToList();
            var row = found.Select(m => m.Hit).FirstOrDefault(h => h.MatchedIn == SearchMatch.Video);
            var first = moments.FirstOrDefault() ?? row!;
            groups.Add((new VideoMoments(videoId, first.VideoTitle, first.Score, moments, row), found[0].Position));
        }
        // Videos with moments first (by their best moment), then the videos matching by their fields alone, as the API has them.
        return [.. groups.OrderBy(g => g.Group.Moments.Count == 0).ThenByDescending(g => g.Group.BestScore).ThenBy(g => g.FirstSeen)
            .Select(g => g.Group)];
    }
}

/// <summary>A video's moments among the results, best first, and its <see cref="VideoRow"/> when the video matches by its
/// title, description or keywords too; <see cref="BestScore"/> is its first moment's score (the row's without moments).</summary>
public sealed record VideoMoments(Guid VideoId, string VideoTitle, double BestScore, IReadOnlyList<SearchHit> Moments, SearchHit? VideoRow = null);
