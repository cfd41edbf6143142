using System.Globalization;
using System.Text;

namespace Veeky.Redis;

/// <summary>Reads RESP2 replies from a stream through a buffer of its own (one reader per connection, one caller at a time).</summary>
internal sealed class RespReader(Stream stream)
{
    /// <summary>Large enough for every header line and the small values Veeky stores; longer bulk strings are read
    /// straight into their own array.</summary>
    private const int BufferSize = 16 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private int _start;
    private int _end;

    public async ValueTask<RespValue> ReadAsync(CancellationToken ct)
    {
        var line = await ReadLineAsync(ct);
        if (line.Length == 0)
        {
            throw new InvalidDataException("Empty RESP line.");
        }
        var rest = line[1..];
        switch (line[0])
        {
            case '+':
                return new RespValue(RespKind.SimpleString, rest);
            case '-':
                return new RespValue(RespKind.Error, rest);
            case ':':
                return new RespValue(RespKind.Integer, Integer: ParseLength(rest));
            case '$':
            {
                var length = ParseLength(rest);
                if (length < 0)
                {
                    return RespValue.Null;
                }
                var bytes = await ReadExactlyAsync(checked((int)length + 2), ct);
                return new RespValue(RespKind.BulkString, Encoding.UTF8.GetString(bytes, 0, bytes.Length - 2));
            }
            case '*':
            {
                var count = ParseLength(rest);
                if (count < 0)
                {
                    return RespValue.Null;
                }
                var items = new RespValue[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = await ReadAsync(ct);
                }
                return new RespValue(RespKind.Array, Items: items);
            }
            default:
                throw new InvalidDataException($"Unknown RESP type '{line[0]}'.");
        }
    }

    private static long ParseLength(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"Bad RESP number '{text}'.");

    /// <summary>The next line without its CRLF.</summary>
    private async ValueTask<string> ReadLineAsync(CancellationToken ct)
    {
        var scanned = 0;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (newline >= 0)
            {
                var length = newline - _start;
                var end = length > 0 && _buffer[newline - 1] == '\r' ? newline - 1 : newline;
                var line = Encoding.UTF8.GetString(_buffer, _start, end - _start);
                _start = newline + 1;
                return line;
            }
            scanned = _end - _start;
            if (_start == 0 && _end == _buffer.Length)
            {
                throw new InvalidDataException("RESP line longer than the read buffer.");
            }
            await FillAsync(ct);
        }
    }

    private async ValueTask<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
    {
        var result = new byte[count];
        var copied = Math.Min(count, _end - _start);
        Buffer.BlockCopy(_buffer, _start, result, 0, copied);
        _start += copied;
        if (copied < count)
        {
            await stream.ReadExactlyAsync(result.AsMemory(copied), ct);
        }
        return result;
    }

    /// <summary>Moves unread bytes to the front and reads more after them; end of stream means Redis closed the connection.</summary>
    private async ValueTask FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (read == 0)
        {
            throw new EndOfStreamException("Redis closed the connection.");
        }
        _end += read;
    }
}
