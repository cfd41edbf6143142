using System.Diagnostics;
using Veeky.Api.Media;
using Veeky.Contracts;
using Veeky.Search;

namespace Veeky.Api.Search;

/// <summary>How a search result goes on the wire: the index's hits as <see cref="Contracts.SearchHit"/>s with signed links.</summary>
public static class SearchAnswers
{
    extension(SearchResults)
    {
        /// <summary>The answer for <paramref name="result"/>, with signed keyframe links, timed from <paramref name="started"/>
        /// (a <see cref="Stopwatch"/> timestamp). <c>mode</c> is the mode that actually ran.</summary>
        public static SearchResults From(string query, SearchResult result, long started, MediaLinkSigner signer) =>
            SearchResults.From(query, result, result.Hits, started, signer);

        /// <summary>As above for a chosen subset of <paramref name="result"/>'s hits.</summary>
        public static SearchResults From(string query, SearchResult result, IEnumerable<Veeky.Search.SearchHit> hits, long started,
            MediaLinkSigner signer)
        {
            var answers = hits.Select(h => new Contracts.SearchHit(h.VideoId, h.VideoTitle, h.CategoryId, h.SegmentIndex, h.Start, h.End,
                h.Score, h.Snippet, h.MatchedFields, signer.Sign(MediaLinks.KeyframePath(h.VideoId, h.SegmentIndex)),
                signer.Sign(MediaLinks.SegmentThumbnailPath(h.VideoId, h.SegmentIndex)),
                h.MatchedOnlyThroughItsVideo ? SearchMatch.Video : SearchMatch.Moment)).ToList();
            var tookMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new SearchResults(query, result.Mode.ToString().ToLowerInvariant(), result.Total, Math.Round(tookMs, 1), answers);
        }
    }
}
