using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How the standard resilience handler every Veeky HttpClient gets is tuned. A request without a body whose answer is
/// transient (connection failure, 408, 429, 502, 503, 504) is sent again up to three times with jittered exponential
/// backoff, or after the <c>Retry-After</c> the server asked for. Only safe methods are retried: a POST may have been
/// applied before its answer was lost, and a streamed upload cannot be sent twice. A 500 is a bug, not a restart, so
/// it comes back at once. Timeouts are long: model calls and relayed uploads take minutes, and the adapters that call
/// models time each attempt themselves.
/// </summary>
public static class HttpClientResilience
{
    public const int MaxRetryAttempts = 3;

    /// <summary>One attempt; the template's 10 s would cut a caption or an upload short.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(10);

    /// <summary>All attempts with their waits.</summary>
    public static readonly TimeSpan TotalRequestTimeout = TimeSpan.FromMinutes(30);

    public static void Configure(HttpStandardResilienceOptions options)
    {
        options.AttemptTimeout.Timeout = AttemptTimeout;
        options.TotalRequestTimeout.Timeout = TotalRequestTimeout;
        // The circuit breaker samples over at least twice the attempt timeout (validated by the handler).
        options.CircuitBreaker.SamplingDuration = AttemptTimeout * 2;
        options.Retry.MaxRetryAttempts = MaxRetryAttempts;
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Exception: HttpRequestException } => true,
            { Result: { } response } => IsTransient(response.StatusCode),
            _ => false,
        });
        options.Retry.DisableForUnsafeHttpMethods();
        // The circuit opens only when the server itself looks gone (no connection, timeouts, 502/503/504). The template
        // also counts 429 and 500, which answer one request: throttled sign-ins by one client guessing passwords, or one
        // buggy call, would otherwise fail every other person's calls at once while the circuit stays open.
        options.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result: { } response } => IsUnavailable(response.StatusCode),
            _ => false,
        });
    }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || IsUnavailable(status);

    /// <summary>The server, or the proxy in front of it, is not serving at all: what opens the circuit.</summary>
    public static bool IsUnavailable(HttpStatusCode status) =>
        status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}
