using System.Net;

namespace Veeky.Web.Api;

/// <summary>The API answered with an error; <see cref="Problem"/> carries its problem details.</summary>
public sealed class ApiException(HttpStatusCode statusCode, ApiProblem problem)
    : Exception($"The Veeky API answered {(int)statusCode}: {problem.Message}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    public ApiProblem Problem { get; } = problem;
}
