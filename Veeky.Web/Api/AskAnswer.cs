namespace Veeky.Web.Api;

/// <summary>The answer of <c>POST /api/ask</c> (and the <c>citations</c> event of its stream).</summary>
public sealed record AskAnswer(string Answer, IReadOnlyList<AskCitation> Citations);

/// <summary>A moment an answer rests on; the link opens the video there.</summary>
public sealed record AskCitation(Guid VideoId, string VideoTitle, int SegmentIndex, double Start, double End);
