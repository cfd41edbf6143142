using System.Net.Security;
using System.Net.Sockets;

namespace Veeky.Redis;

/// <summary>
/// One TCP (or TLS) connection to Redis speaking RESP2. Commands may be pipelined from many callers: a write lock keeps
/// each command whole on the wire, and the pending replies wait in a FIFO queue in the same order, which is the order
/// Redis answers in. A single read loop completes them. Pub/sub pushes go to <c>onPush</c> instead.
/// Once broken (end of stream, I/O error, timeout) the connection stays broken; its owner opens a new one.
/// </summary>
internal sealed class RespConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly RespReader _reader;
    private readonly Action<RespValue>? _onPush;
    private readonly TimeSpan _commandTimeout;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Queue<TaskCompletionSource<RespValue>> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource<Exception> _broken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _failure;

    private RespConnection(Socket socket, Stream stream, Action<RespValue>? onPush, TimeSpan commandTimeout)
    {
        _socket = socket;
        _stream = stream;
        _reader = new RespReader(stream);
        _onPush = onPush;
        _commandTimeout = commandTimeout;
        _ = ReadLoopAsync();
    }

    public bool IsBroken => Volatile.Read(ref _failure) is not null;

    /// <summary>Completes with the reason once the connection breaks.</summary>
    public Task<Exception> Broken => _broken.Task;

    /// <summary>Connects, negotiates TLS when asked, then authenticates and selects the database.</summary>
    public static async Task<RespConnection> OpenAsync(RedisConnectionSettings settings, Action<RespValue>? onPush, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        RespConnection? connection = null;
        try
        {
            // Keep-alive lets the kernel notice a peer that vanished without closing (a dead host, a dropped route).
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            await socket.ConnectAsync(settings.Host, settings.Port, timeout.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (settings.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = settings.Host,
                    RemoteCertificateValidationCallback = settings.CertificateValidation,
                }, timeout.Token);
                stream = ssl;
            }
            connection = new RespConnection(socket, stream, onPush, settings.CommandTimeout);
            if (settings.Password is not null)
            {
                string[] auth = settings.User is null ? ["AUTH", settings.Password] : ["AUTH", settings.User, settings.Password];
                ThrowIfError(await connection.ExecuteAsync(auth, timeout.Token));
            }
            if (settings.Database != 0)
            {
                ThrowIfError(await connection.ExecuteAsync(["SELECT", settings.Database.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout.Token));
            }
            return connection;
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            else
            {
                socket.Dispose();
            }
            if (ex is RedisException || (ex is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw;
            }
            throw new RedisConnectionException($"Cannot connect to Redis at {settings}: {ex.Message}", ex);
        }
    }

    private static void ThrowIfError(RespValue reply)
    {
        if (reply.IsError)
        {
            throw new RedisException(reply.Text ?? "Redis error");
        }
    }

    /// <summary>Sends one command and waits for its reply (an error reply is returned, not thrown).</summary>
    public async Task<RespValue> ExecuteAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var reply = new TaskCompletionSource<RespValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        await WriteAsync(arguments, reply, ct);
        try
        {
            // A cancelled or timed-out caller leaves its slot in the queue: the reply still arrives in order and is
            // dropped there, so the next caller is matched with its own reply.
            return await reply.Task.WaitAsync(_commandTimeout, ct);
        }
        catch (TimeoutException ex)
        {
            // No reply within the timeout means Redis or the link is unhealthy; a fresh connection is the cure.
            var failure = new RedisConnectionException($"Redis did not answer {arguments[0]} within {_commandTimeout.TotalMilliseconds:0} ms.", ex);
            Fail(failure);
            throw failure;
        }
    }

    /// <summary>Sends a command whose replies arrive as pushes (SUBSCRIBE, UNSUBSCRIBE on a subscriber connection).</summary>
    public Task SendAsync(IReadOnlyList<string> arguments, CancellationToken ct) => WriteAsync(arguments, null, ct);

    private async Task WriteAsync(IReadOnlyList<string> arguments, TaskCompletionSource<RespValue>? reply, CancellationToken ct)
    {
        var bytes = RespCommand.Encode(arguments);
        if (!await _writeLock.WaitAsync(_commandTimeout, ct))
        {
            // The writer ahead is stuck (Redis stopped reading and the socket buffer is full): give up the connection,
            // which also frees that writer, rather than let callers such as the indexer queue forever.
            var stuck = new RedisConnectionException($"Could not write {arguments[0]} to Redis within {_commandTimeout.TotalMilliseconds:0} ms.");
            Fail(stuck);
            throw stuck;
        }
        try
        {
            lock (_gate)
            {
                if (_failure is not null)
                {
                    throw new RedisConnectionException($"The Redis connection is broken: {_failure.Message}", _failure);
                }
                if (reply is not null)
                {
                    _pending.Enqueue(reply);
                }
            }
            // Not the caller's token: a write stopped halfway would corrupt the stream for everyone pipelined behind it.
            await WriteAndFlushAsync(bytes).WaitAsync(_commandTimeout, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not RedisException)
        {
            var failure = new RedisConnectionException($"Writing to Redis failed: {ex.Message}", ex);
            Fail(failure);
            throw failure;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteAndFlushAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes, _closed.Token);
        await _stream.FlushAsync(_closed.Token);
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var value = await _reader.ReadAsync(_closed.Token);
                if (_onPush is not null && value.IsPush(out _))
                {
                    _onPush(value);
                    continue;
                }
                TaskCompletionSource<RespValue>? reply;
                lock (_gate)
                {
                    _pending.TryDequeue(out reply);
                }
                if (reply is null)
                {
                    throw new InvalidDataException($"Redis sent a reply nobody asked for: {value.Kind} {value.Text}");
                }
                reply.TrySetResult(value);
            }
        }
        catch (Exception ex)
        {
            Fail(ex is RedisException ? ex : new RedisConnectionException($"The Redis connection was lost: {ex.Message}", ex));
        }
    }

    /// <summary>Marks the connection broken, fails every waiting caller and closes the socket.</summary>
    private void Fail(Exception failure)
    {
        TaskCompletionSource<RespValue>[] waiting;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return;
            }
            _failure = failure;
            waiting = [.. _pending];
            _pending.Clear();
        }
        foreach (var reply in waiting)
        {
            reply.TrySetException(failure);
        }
        _closed.Cancel();
        _stream.Dispose();
        _socket.Dispose();
        _broken.TrySetResult(failure);
    }

    public ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(RespConnection)));
        return ValueTask.CompletedTask;
    }
}
