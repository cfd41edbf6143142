namespace Veeky.Contracts;

/// <summary>Answer of <c>GET /api/search</c> (and of the searches by picture and by moment); <see cref="Mode"/> is the
/// mode that actually ran.</summary>
public sealed record SearchResults(string Query, string Mode, int Total, double TookMs, IReadOnlyList<SearchHit> Hits);

/// <summary>The <c>hit</c> object of API.md: one moment matching a query, with signed links to its keyframe and the
/// keyframe's small copy (the API always sends both; a client tolerates their absence, as for segments).
/// <see cref="MatchedIn"/> (an addition) says whether the moment's own words or meaning matched (<see cref="SearchMatch.Moment"/>)
/// or only its video's title, description or keywords: then the hit is the video's one row (<see cref="SearchMatch.Video"/>),
/// naming its earliest such moment.</summary>
public sealed record SearchHit(
    Guid VideoId,
    string VideoTitle,
    Guid CategoryId,
    int SegmentIndex,
    double Start,
    double End,
    double Score,
    string Snippet,
    IReadOnlyList<string> MatchedFields,
    string? KeyframeUrl,
    string? ThumbnailUrl = null,
    string MatchedIn = SearchMatch.Moment);

/// <summary>Values of <see cref="SearchHit.MatchedIn"/>.</summary>
public static class SearchMatch
{
    /// <summary>The moment's own words (transcript, on-screen text, caption) or its meaning matched.</summary>
    public const string Moment = "moment";

    /// <summary>Only the video's title, description or keywords matched: one row for the whole video.</summary>
    public const string Video = "video";
}

/// <summary>Body of <c>POST /api/ask</c>.</summary>
public sealed record AskRequest(string? Question, Guid? CategoryId = null, Guid? VideoId = null);

/// <summary>The answer of <c>POST /api/ask</c> (and the <c>citations</c> event of its stream): the cited moments and
/// every moment the answer was built from, best first.</summary>
public sealed record AskAnswer(string Answer, IReadOnlyList<AskCitation> Citations, IReadOnlyList<AskSource> Sources);

/// <summary>A moment an answer cites.</summary>
public sealed record AskCitation(Guid VideoId, string VideoTitle, int SegmentIndex, double Start, double End);

/// <summary>A moment given to the model for the answer; <see cref="Cited"/> when the answer cites it.</summary>
public sealed record AskSource(Guid VideoId, string VideoTitle, int SegmentIndex, double Start, double End, bool Cited);

/// <summary>Answer of <c>GET /api/ask/availability</c>: whether a chat model is configured to answer questions.</summary>
public sealed record AskAvailability(bool Available);
