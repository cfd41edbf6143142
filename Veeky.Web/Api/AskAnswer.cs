namespace Veeky.Web.Api;

/// <summary>The answer of <c>POST /api/ask</c> (and the <c>citations</c> event of its stream): the cited moments and
/// every moment the answer was built from, best first.</summary>
public sealed record AskAnswer(string Answer, IReadOnlyList<AskCitation> Citations, IReadOnlyList<AskSource>? Sources = null);

/// <summary>A moment an answer rests on; the link opens the video there.</summary>
public sealed record AskCitation(Guid VideoId, string VideoTitle, int SegmentIndex, double Start, double End);

/// <summary>A moment the answer was built from; <see cref="Cited"/> when the answer cites it.</summary>
public sealed record AskSource(Guid VideoId, string VideoTitle, int SegmentIndex, double Start, double End, bool Cited);
