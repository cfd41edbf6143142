using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Veeky.Redis;

/// <summary>
/// A dedicated subscriber connection (Redis allows only pub/sub commands on it). A background loop keeps it open:
/// when Redis restarts or the link drops, it reconnects with backoff and subscribes to every channel again, so
/// handlers keep receiving messages without doing anything. Messages published while it was disconnected are lost,
/// as pub/sub never stores them.
/// </summary>
public sealed class RedisSubscriber(RedisConnectionSettings settings, ILogger<RedisSubscriber> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Action<string>> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _confirmed = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _loop;
    private RespConnection? _connection;

    /// <summary>Raised on the read loop whenever Redis confirms a subscription, including each resubscription after a
    /// reconnect (for health reporting and tests).</summary>
    public event Action<string>? Subscribed;

    /// <summary>Starts delivering the channel's messages to the handler (one handler per channel; a second call
    /// replaces it). Returns once the request is sent, or at once while Redis is unreachable: the loop subscribes
    /// when it connects.</summary>
    public async Task SubscribeAsync(string channel, Action<string> handler, CancellationToken ct = default)
    {
        _handlers[channel] = handler;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _loop ??= Task.Run(RunAsync);
        }
        await SendIfConnectedAsync(["SUBSCRIBE", channel], ct);
    }

    /// <summary>Completes once Redis has confirmed a subscription to the channel (the first time; a later outage does
    /// not reset it). <see cref="SubscribeAsync"/> returns before that: the request may still be in flight, or wait for a
    /// connection.</summary>
    public Task WhenSubscribedAsync(string channel) => Confirmation(channel).Task;

    private TaskCompletionSource Confirmation(string channel) =>
        _confirmed.GetOrAdd(channel, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public async Task UnsubscribeAsync(string channel, CancellationToken ct = default)
    {
        if (_handlers.TryRemove(channel, out _))
        {
            await SendIfConnectedAsync(["UNSUBSCRIBE", channel], ct);
        }
    }

    private async Task SendIfConnectedAsync(string[] command, CancellationToken ct)
    {
        var connection = Volatile.Read(ref _connection);
        if (connection is { IsBroken: false })
        {
            try
            {
                await connection.SendAsync(command, ct);
            }
            catch (RedisConnectionException)
            {
                // The loop notices the broken connection and subscribes to every channel on the next one.
            }
        }
    }

    private async Task RunAsync()
    {
        var backoff = new RedisReconnectBackoff(settings.MaxReconnectDelay);
        var ct = _stopping.Token;
        var wasConnected = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = await RespConnection.OpenAsync(settings, OnPush, ct);
                Volatile.Write(ref _connection, connection);
                var channels = _handlers.Keys.ToArray();
                if (channels.Length > 0)
                {
                    await connection.SendAsync(["SUBSCRIBE", .. channels], ct);
                }
                if (!wasConnected)
                {
                    logger.LogInformation("Redis subscriber reconnected to {Endpoint}; resubscribed to {Count} channel(s)", settings, channels.Length);
                }
                wasConnected = true;
                backoff.Reset();
                await KeepAliveAsync(connection, ct);
                var reason = await connection.Broken;
                logger.LogWarning("Redis subscriber connection lost: {Reason}", reason.Message);
                wasConnected = false;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (wasConnected)
                {
                    logger.LogWarning("Redis subscriber cannot reach {Endpoint}: {Reason}; retrying with backoff", settings, ex.Message);
                }
                wasConnected = false;
            }
            finally
            {
                Volatile.Write(ref _connection, null);
            }
            try
            {
                await Task.Delay(backoff.Next(), ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Pings while the connection is quiet until it breaks. In subscribed mode Redis answers PING with an
    /// array (<c>pong</c>), not a push, so it is matched like any reply; no answer in time breaks the connection.</summary>
    private async Task KeepAliveAsync(RespConnection connection, CancellationToken ct)
    {
        while (!connection.IsBroken)
        {
            await Task.WhenAny(connection.Broken, Task.Delay(settings.KeepAliveInterval, ct));
            ct.ThrowIfCancellationRequested();
            if (connection.IsBroken)
            {
                return;
            }
            try
            {
                await connection.ExecuteAsync(["PING"], ct);
            }
            catch (RedisConnectionException)
            {
                // The connection is broken now; the loop reconnects.
            }
        }
    }

    private void OnPush(RespValue push)
    {
        if (!push.IsPush(out var kind) || push.Items is not [_, { Text: { } channel }, var payload])
        {
            return;
        }
        if (kind == "subscribe")
        {
            Confirmation(channel).TrySetResult();
            Subscribed?.Invoke(channel);
        }
        else if (kind == "message" && payload.Text is { } message && _handlers.TryGetValue(channel, out var handler))
        {
            try
            {
                handler(message);
            }
            catch (Exception ex)
            {
                // A faulty handler must not break the read loop that serves every channel.
                logger.LogError(ex, "Handler for Redis channel {Channel} failed", channel);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            _stopping.Cancel();
            loop = _loop;
        }
        if (Volatile.Read(ref _connection) is { } connection)
        {
            await connection.DisposeAsync();
        }
        if (loop is not null)
        {
            await loop;
        }
    }
}
