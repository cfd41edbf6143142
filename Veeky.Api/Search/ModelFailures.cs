using Microsoft.AspNetCore.Http.HttpResults;
using Veeky.AI;

namespace Veeky.Api.Search;

/// <summary>
/// How the API treats a model server that fails a request, for every endpoint that calls one (search legs, search by
/// picture, ask, its stream): which exceptions are the model's failure rather than a bug, and the sentence a person
/// reads. A <see cref="ModelServerException"/> (<see cref="ModelNotFoundException"/> among them) already says what went
/// wrong and how to fix it, so its message is passed on; anything else gets the caller's fallback.
/// </summary>
public static class ModelFailures
{
    /// <summary>A model server's refusal, absence, unreadable answer or timeout; the caller's own cancellation is not one.</summary>
    public static bool IsModelFailure(Exception ex, CancellationToken ct) =>
        ex is ModelServerException or HttpRequestException or System.Text.Json.JsonException or InvalidOperationException
            or NotSupportedException
        || ex is OperationCanceledException && !ct.IsCancellationRequested;

    /// <summary>The server's own sentence when it gave one, else <paramref name="fallback"/>.</summary>
    public static string Detail(Exception ex, string fallback) => ex is ModelServerException ? ex.Message : fallback;

    /// <summary>The <c>503</c> problem for a failed model call, logged with its cause (which the answer never shows
    /// beyond the server's sentence). Search by picture has always answered its own sentence only
    /// (<paramref name="withServerSentence"/> false), and keeps doing so.</summary>
    public static ProblemHttpResult Problem(Exception ex, ILogger logger, string title, string fallback, bool withServerSentence = true)
    {
        logger.LogWarning(ex, "{Title}", title);
        return TypedResults.Problem(withServerSentence ? Detail(ex, fallback) : fallback,
            statusCode: StatusCodes.Status503ServiceUnavailable, title: title);
    }
}
