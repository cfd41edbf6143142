using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Veeky.Redis;

/// <summary>
/// Veeky's Redis client for the few commands it uses, over one pipelined connection shared by all callers. A broken
/// connection is replaced on the next command; while Redis stays unreachable, commands fail at once with
/// <see cref="RedisConnectionException"/> until the backoff allows the next attempt, so callers that fall back
/// (the search cache, progress publishing) lose no time waiting.
/// </summary>
public sealed class RedisClient(RedisConnectionSettings settings, ILogger<RedisClient> logger, TimeProvider? time = null) : IAsyncDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly RedisReconnectBackoff _backoff = new(settings.MaxReconnectDelay);
    private RespConnection? _connection;
    private DateTimeOffset _nextAttempt = DateTimeOffset.MinValue;
    private Exception? _lastFailure;
    private bool _disposed;

    public RedisConnectionSettings Settings => settings;

    public async Task<string> PingAsync(CancellationToken ct = default) =>
        (await ExecuteAsync(["PING"], ct)).Text ?? "";

    /// <summary>The value, or null when the key does not exist.</summary>
    public async Task<string?> GetAsync(string key, CancellationToken ct = default) =>
        (await ExecuteAsync(["GET", key], ct)).Text;

    /// <summary>Sets the value, expiring after <paramref name="expiry"/> when given (<c>SET key value PX ms</c>).</summary>
    public Task SetAsync(string key, string value, TimeSpan? expiry = null, CancellationToken ct = default) =>
        ExecuteAsync(expiry is { } e
            ? ["SET", key, value, "PX", Math.Max(1, (long)e.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)]
            : ["SET", key, value], ct);

    /// <summary>Deletes the keys; returns how many existed.</summary>
    public async Task<long> DeleteAsync(IEnumerable<string> keys, CancellationToken ct = default) =>
        (await ExecuteAsync(["DEL", .. keys], ct)).Integer;

    public Task<long> DeleteAsync(string key, CancellationToken ct = default) => DeleteAsync([key], ct);

    /// <summary>Increments the integer at the key (0 when missing) and returns the new value.</summary>
    public async Task<long> IncrementAsync(string key, CancellationToken ct = default) =>
        (await ExecuteAsync(["INCR", key], ct)).Integer;

    /// <summary>Publishes the message; returns how many subscribers (connections) received it.</summary>
    public async Task<long> PublishAsync(string channel, string message, CancellationToken ct = default) =>
        (await ExecuteAsync(["PUBLISH", channel, message], ct)).Integer;

    /// <summary>Runs any command; an error reply becomes a <see cref="RedisException"/> carrying Redis's message.</summary>
    public async Task<RespValue> ExecuteAsync(IReadOnlyList<string> arguments, CancellationToken ct = default)
    {
        var connection = await GetConnectionAsync(ct);
        var reply = await connection.ExecuteAsync(arguments, ct);
        return reply.IsError ? throw new RedisException(reply.Text ?? "Redis error") : reply;
    }

    private async ValueTask<RespConnection> GetConnectionAsync(CancellationToken ct)
    {
        var current = Volatile.Read(ref _connection);
        if (current is { IsBroken: false })
        {
            return current;
        }
        await _connectLock.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is { IsBroken: false })
            {
                return _connection;
            }
            if (_time.GetUtcNow() < _nextAttempt)
            {
                throw new RedisConnectionException($"Redis at {settings} is unreachable ({_lastFailure?.Message}); next attempt at {_nextAttempt:HH:mm:ss.fff}.", _lastFailure);
            }
            try
            {
                var connection = await RespConnection.OpenAsync(settings, onPush: null, ct);
                if (_lastFailure is not null)
                {
                    logger.LogInformation("Reconnected to Redis at {Endpoint}", settings);
                }
                _backoff.Reset();
                _lastFailure = null;
                Volatile.Write(ref _connection, connection);
                return connection;
            }
            catch (RedisException ex)
            {
                // Refused authentication or database selection backs off too: retrying it per command would only
                // hammer Redis with the same wrong password.
                var delay = _backoff.Next();
                _nextAttempt = _time.GetUtcNow() + delay;
                if (_lastFailure is null)
                {
                    logger.LogWarning("Redis at {Endpoint} is unreachable: {Reason}; retrying with backoff", settings, ex.Message);
                }
                _lastFailure = ex;
                throw;
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connectLock.WaitAsync();
        try
        {
            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
