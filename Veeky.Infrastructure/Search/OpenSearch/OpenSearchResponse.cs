using System.Text.Json.Nodes;

namespace Veeky.Search.OpenSearch;

/// <summary>One answer of the REST API: status and parsed JSON body (null for HEAD or a body that is not JSON).</summary>
public sealed record OpenSearchResponse(int Status, JsonNode? Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>OpenSearch's <c>error.type</c> (a string error body counts as its own type).</summary>
    public string? ErrorType => (Body as JsonObject)?["error"] switch
    {
        JsonObject error => (string?)error["type"],
        JsonValue text => (string?)text,
        _ => null,
    };

    /// <summary>OpenSearch's <c>error.reason</c>, or the whole body when it has no such field.</summary>
    public string Reason => (Body as JsonObject)?["error"] is JsonObject error
        ? (string?)error["reason"] ?? error.ToJsonString()
        : Body?.ToJsonString() ?? $"HTTP {Status}";

    /// <summary>Throws <see cref="OpenSearchException"/> naming the request unless the answer is a success.</summary>
    public OpenSearchResponse EnsureSuccess(string what) => IsSuccess
        ? this
        : throw new OpenSearchException($"OpenSearch {what} failed with HTTP {Status}: {ErrorType}: {Reason}", Status, ErrorType);
}
