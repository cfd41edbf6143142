using System.Net;

namespace Veeky.AI;

/// <summary>A model server refused a call or could not be reached; the message says which server and why.</summary>
public class ModelServerException(string message, HttpStatusCode? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The server's HTTP status, or null when it did not answer.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;
}
