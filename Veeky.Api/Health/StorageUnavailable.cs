using Microsoft.AspNetCore.Diagnostics;
using Veeky.Data;

namespace Veeky.Api.Health;

/// <summary>
/// What an API caller gets while the database does not answer: <c>503</c> with a sentence and <c>Retry-After</c>,
/// not a <c>500</c> and a stack trace in the log. Before the storage is first ready every <c>/api</c> request gets it
/// (the schema may not be migrated yet); later, any request whose database call finds the server gone.
/// </summary>
public sealed class StorageUnavailable(
    StorageReadiness readiness, DatabaseProvider provider, IProblemDetailsService problems, ILogger<StorageUnavailable> logger)
    : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait; about the initializer's longest backoff.</summary>
    private const int RetryAfterSeconds = 15;

    /// <summary>Middleware that answers <c>/api</c> requests with <c>503</c> until the storage is ready.</summary>
    public async Task GateAsync(HttpContext context, Func<Task> next)
    {
        if (readiness.IsReady || !context.Request.Path.StartsWithSegments("/api"))
        {
            await next();
            return;
        }
        await WriteAsync(context, readiness.Problem ?? $"The {DatabaseOutage.Describe(provider)} is not ready.");
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (!DatabaseOutage.IsUnreachable(exception) || context.Response.HasStarted)
        {
            return false;
        }
        var problem = $"The {DatabaseOutage.Describe(provider)} does not answer ({DatabaseOutage.Reason(exception)}).";
        logger.LogWarning("{Method} {Path} answered 503: {Problem}", context.Request.Method, context.Request.Path, problem);
        await WriteAsync(context, problem + " Try again in a moment.");
        return true;
    }

    private async Task WriteAsync(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "The database is unavailable", Detail = detail },
        });
    }
}
