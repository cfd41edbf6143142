namespace Veeky.Search.OpenSearch;

/// <summary>An OpenSearch request that failed for good, with the server's error type and reason when it gave them.</summary>
public sealed class OpenSearchException(string message, int? status = null, string? errorType = null)
    : Exception(message)
{
    /// <summary>HTTP status of the last answer; null when no answer came (connection refused, timeout).</summary>
    public int? Status { get; } = status;

    /// <summary>OpenSearch's <c>error.type</c>, e.g. <c>index_not_found_exception</c>.</summary>
    public string? ErrorType { get; } = errorType;
}
