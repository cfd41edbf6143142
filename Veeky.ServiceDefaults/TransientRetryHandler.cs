using System.Net;
using Polly;
using Polly.Retry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The HttpClient resilience default of every Veeky host (Polly): a request without a body whose answer is transient
/// (connection failure, 408, 429, 502, 503, 504) is sent again up to three times with jittered exponential backoff,
/// or after the <c>Retry-After</c> the server asked for when that is short. Only safe methods are retried: a POST may
/// have been applied before its answer was lost, and a streamed upload cannot be sent twice. Clients that retry on
/// their own terms (the OpenSearch adapter's 429 handling) keep working: their retries wrap these.
/// </summary>
public sealed class TransientRetryHandler : DelegatingHandler
{
    public const int MaxRetryAttempts = 3;

    /// <summary>Longest server-requested wait honoured; longer ones fall back to the backoff.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    private static readonly ResiliencePipeline<HttpResponseMessage> Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: HttpRequestException } => true,
                { Result: { } response } => IsTransient(response.StatusCode),
                _ => false,
            }),
            DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                args.Outcome.Result?.Headers.RetryAfter?.Delta is { } wait && wait <= MaxRetryAfter ? wait : null),
        })
        .Build();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!IsSafe(request.Method) || request.Content is not null)
        {
            return await base.SendAsync(request, cancellationToken);
        }
        return await Pipeline.ExecuteAsync(async ct => await base.SendAsync(request, ct), cancellationToken);
    }

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static bool IsSafe(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options;
}
