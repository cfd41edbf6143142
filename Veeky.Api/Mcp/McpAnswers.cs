using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelContextProtocol;

namespace Veeky.Api.Mcp;

/// <summary>A moment found by <c>search_moments</c>: where it is and a link that opens the video there.</summary>
public sealed record McpMoment(
    Guid VideoId,
    string VideoTitle,
    [property: Description("Seconds from the start of the video.")] double Start,
    [property: Description("Seconds from the start of the video.")] double End,
    [property: Description("The matching text, plain.")] string Snippet,
    [property: Description("Opens the video at the moment in Veeky's web UI.")] string Link);

/// <summary>A video's text by moments, for <c>get_transcript</c>.</summary>
public sealed record McpTranscript(Guid VideoId, string Title, string Link, IReadOnlyList<McpTranscriptMoment> Moments);

/// <summary>One moment of a transcript: what was said, and what was written on screen.</summary>
public sealed record McpTranscriptMoment(double Start, double End, string? Spoken, string? OnScreen, string Link);

/// <summary>A video as <c>list_videos</c> shows it.</summary>
public sealed record McpVideo(Guid Id, string Title, string? Description, Guid CategoryId, string Status,
    double? DurationSeconds, DateTimeOffset CreatedAt, string Link);

/// <summary>One page of <c>list_videos</c>, newest first.</summary>
public sealed record McpVideoPage(IReadOnlyList<McpVideo> Videos, int Total, int Page, int PageSize);

/// <summary>Turns the HTTP handlers' typed results into tool answers, and makes the links tools hand out.</summary>
internal static class McpAnswers
{
    /// <summary>The same words the HTTP API answers 404 with: a video the caller may not see does not exist for them.</summary>
    public const string VideoNotFound = "No video with that id exists, or you may not see it.";

    /// <summary>The value of an <c>Ok</c> result; anything else becomes a tool error with the API's sentence, which the
    /// model can read and correct its call by.</summary>
    public static T Value<T>(IResult result) => result switch
    {
        Ok<T> ok => ok.Value!,
        ValidationProblem validation => throw new McpException(
            string.Join(" ", validation.ProblemDetails.Errors.SelectMany(e => e.Value))),
        ProblemHttpResult problem => throw new McpException(
            problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? "The request failed."),
        NotFound => throw new McpException(VideoNotFound),
        _ => throw new InvalidOperationException($"The tool cannot use an answer of type {result.GetType().Name}."),
    };

    /// <summary><c>/videos/{id}?t=START</c> of the web UI, absolute when <c>Veeky:PublicUrl</c> is set.</summary>
    public static string VideoLink(ApiOptions options, Guid videoId, double? start = null)
    {
        var path = start is { } t
            ? $"/videos/{videoId}?t={Math.Max(0, t).ToString("0.##", CultureInfo.InvariantCulture)}"
            : $"/videos/{videoId}";
        return options.PublicUrl is { } origin ? new Uri(origin, path).ToString() : path;
    }
}
