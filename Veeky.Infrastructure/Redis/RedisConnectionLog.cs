using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Veeky.Redis;

/// <summary>
/// Opens the Redis connection when the host starts, in the background, so start-up neither waits for nor fails on an
/// unreachable Redis; then logs one warning when Redis becomes unreachable and one line when it answers again, however
/// many connections report the failure (<see cref="IConnectionMultiplexer.ConnectionFailed"/> comes once for the command
/// connection and once for the subscription) and however many reconnection attempts fail in between.
/// </summary>
public sealed class RedisConnectionLog(IServiceProvider services, ILogger<RedisConnectionLog> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private IConnectionMultiplexer? _redis;
    private int _unreachable;

    /// <summary>Why Redis is unreachable, while it is (for <c>/health</c>); null while it answers.</summary>
    public string? OutageReason { get; private set; }

    /// <summary>Completes once the first connection attempt has ended, either way.</summary>
    public Task Connected { get; private set; } = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Connected = Task.Run(ConnectAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task ConnectAsync()
    {
        try
        {
            // The first connect waits up to connectTimeout for an unreachable Redis; with abortConnect off it then
            // returns a multiplexer that keeps trying in the background.
            _redis = services.GetRequiredService<IConnectionMultiplexer>();
        }
        catch (ObjectDisposedException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        if (!_redis.IsConnected && await WhyUnreachableAsync(_redis) is { } reason)
        {
            Unreachable(_redis, reason);
        }
    }

    /// <summary>Why the first attempt failed (refused, a wrong password): its exception is not kept, but a PING fails
    /// for the same reason. Null when Redis answers after all.</summary>
    private static async Task<string?> WhyUnreachableAsync(IConnectionMultiplexer redis)
    {
        try
        {
            await redis.GetDatabase().PingAsync();
            return null;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            return RedisFailureReason.Describe(ex);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) =>
        Unreachable((IConnectionMultiplexer)sender!, e.Exception is { } ex ? RedisFailureReason.Describe(ex) : e.FailureType.ToString());

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        var redis = (IConnectionMultiplexer)sender!;
        if (redis.IsConnected && Interlocked.Exchange(ref _unreachable, 0) == 1)
        {
            OutageReason = null;
            logger.LogInformation("Redis at {Endpoints} answers again: progress crosses processes and searches are cached again", Endpoints(redis));
        }
    }

    private void Unreachable(IConnectionMultiplexer redis, string reason)
    {
        if (Interlocked.Exchange(ref _unreachable, 1) == 0 && !_stopping.IsCancellationRequested)
        {
            OutageReason = reason;
            logger.LogWarning(
                "Redis at {Endpoints} is unreachable ({Reason}); until it answers, searches go uncached and progress reaches only the process that published it. Reconnecting in the background",
                Endpoints(redis), reason);
        }
    }

    private static string Endpoints(IConnectionMultiplexer redis) =>
        string.Join(", ", redis.GetEndPoints().Select(EndPointCollection.ToString));

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        if (_redis is { } redis)
        {
            redis.ConnectionFailed -= OnConnectionFailed;
            redis.ConnectionRestored -= OnConnectionRestored;
        }
        return Task.CompletedTask;
    }
}
