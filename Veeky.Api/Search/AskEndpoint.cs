using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Veeky.Contracts;
using Veeky.Search;
using SearchHit = Veeky.Search.SearchHit;

namespace Veeky.Api.Search;

/// <summary>
/// <c>POST /api/ask</c>: a chat model answers from the moments the caller can see and cites them. With
/// <c>Accept: text/event-stream</c> the answer streams as Server-Sent Events (<see cref="AskStream"/>).
/// </summary>
public static partial class AskEndpoint
{
    /// <summary>Longest question accepted: a question is a sentence or two; more only costs the model's window.</summary>
    public const int MaxQuestionLength = Limits.QuestionLength;

    public static Task<Results<Ok<AskAnswer>, AskStream, ValidationProblem, ProblemHttpResult>> AskAsync(
        AskRequest request, HttpContext http, QuestionAnswerer answerer, CancellationToken ct) =>
        answerer.AnswerAsync(request, WantsEventStream(http.Request), ct);

    /// <summary>The answer with the moments it cites as <c>[n]</c> (or <c>[n, m]</c>) and all the moments it was built
    /// from, best first: small models often cite nothing, and the sources still say where to look. Only retrieved
    /// (thus visible) moments can be cited or listed.</summary>
    internal static AskAnswer Respond(string answer, IReadOnlyList<SearchHit> hits)
    {
        var cited = CitedNumbers(answer);
        var sources = hits
            .Select((h, i) => new AskSource(h.VideoId, h.VideoTitle, h.SegmentIndex, h.Start, h.End, cited.Contains(i + 1)))
            .ToList();
        var citations = sources.Where(s => s.Cited)
            .Select(s => new AskCitation(s.VideoId, s.VideoTitle, s.SegmentIndex, s.Start, s.End))
            .ToList();
        return new AskAnswer(answer, citations, sources);
    }

    private static HashSet<int> CitedNumbers(string answer) =>
        [.. CitationMarks().Matches(answer)
            .SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
            .Select(n => int.TryParse(n, out var number) ? number : 0)];

    [System.Text.RegularExpressions.GeneratedRegex(@"\[(\d+(?:\s*,\s*\d+)*)\]")]
    private static partial System.Text.RegularExpressions.Regex CitationMarks();

    /// <summary>True when the client prefers the event stream: its most wanted type (by quality, then order) is
    /// <c>text/event-stream</c>. Anything else, or no Accept at all, gets the JSON answer of the contract.</summary>
    private static bool WantsEventStream(HttpRequest request) =>
        request.GetTypedHeaders().Accept
            .OrderByDescending(a => a.Quality ?? 1)
            .FirstOrDefault() is { } preferred
        && preferred.MediaType.Equals(AskStream.ContentType, StringComparison.OrdinalIgnoreCase);

    internal static string StripMarks(string snippet) =>
        System.Net.WebUtility.HtmlDecode(snippet.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal));
}
