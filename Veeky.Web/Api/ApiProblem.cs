namespace Veeky.Web.Api;

/// <summary>The RFC 7807 problem details the API answers errors with; <c>errors</c> holds validation messages per field.</summary>
public sealed record ApiProblem(string? Title, string? Detail, int? Status, IReadOnlyDictionary<string, string[]>? Errors)
{
    /// <summary>What a person reads when the API cannot be reached at all (connection refused, DNS, reset).</summary>
    public const string Unreachable = "The Veeky API cannot be reached right now. Try again in a moment.";

    /// <summary>One sentence for a person: the detail, else the validation messages, else the title.</summary>
    public string Message =>
        !string.IsNullOrWhiteSpace(Detail) ? Detail
        : Errors is { Count: > 0 } ? string.Join(" ", Errors.SelectMany(e => e.Value))
        : !string.IsNullOrWhiteSpace(Title) ? Title
        : "The server refused the request.";
}
