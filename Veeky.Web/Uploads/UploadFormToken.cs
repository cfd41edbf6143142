using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Veeky.Web.Uploads;

/// <summary>
/// Finds the antiforgery token of an upload posted as a plain form (no script to send it as a header) among the first
/// fields of its multipart body, without reading the form: ASP.NET Core's form reader would buffer the whole video and
/// stops at 128 MiB. The upload page puts the token first, before the file. The bytes read on the way are kept, so
/// <see cref="Body"/> replays the request body whole and the relay still passes it on byte for byte.
/// </summary>
public sealed class UploadFormToken
{
    /// <summary>How far into the body the token may lie: the text fields before the file (each at most 64 KiB in the
    /// API) and some framing. A token further in, or after the file, is treated as missing.</summary>
    private const int MaxPrefixBytes = 512 * 1024;

    /// <summary>An antiforgery token is a couple of hundred characters.</summary>
    private const int MaxTokenBytes = 4096;

    private UploadFormToken(string? token, Stream body)
    {
        Token = token;
        Body = body;
    }

    /// <summary>The token's value, or null when the body has none before its file (or is not multipart).</summary>
    public string? Token { get; }

    /// <summary>The request body from its first byte: what was read looking for the token, then the rest.</summary>
    public Stream Body { get; }

    public static async Task<UploadFormToken> ReadAsync(HttpRequest request, string fieldName, CancellationToken ct)
    {
        var recording = new RecordingStream(request.Body, MaxPrefixBytes);
        string? token = null;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            && HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is { Length: > 0 } boundary)
        {
            try
            {
                token = await FindTokenAsync(new MultipartReader(boundary, recording), fieldName, ct);
            }
            catch (Exception ex) when ((ex is InvalidDataException or IOException) && !ct.IsCancellationRequested)
            {
                // Malformed framing or more than the prefix allows: no token, and the request is refused as forged.
            }
        }
        return new UploadFormToken(token, new PrefixedStream(recording.Recorded, request.Body));
    }

    private static async Task<string?> FindTokenAsync(MultipartReader reader, string fieldName, CancellationToken ct)
    {
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                || disposition.IsFileDisposition())
            {
                return null; // the file comes before any token: a form the upload page did not render
            }
            using var value = new MemoryStream();
            var chunk = new byte[8192];
            int read;
            while ((read = await section.Body.ReadAsync(chunk, ct)) > 0)
            {
                value.Write(chunk, 0, read);
            }
            if (HeaderUtilities.RemoveQuotes(disposition.Name).Equals(fieldName, StringComparison.Ordinal))
            {
                return value.Length is > 0 and <= MaxTokenBytes ? System.Text.Encoding.UTF8.GetString(value.ToArray()) : null;
            }
        }
        return null;
    }

    /// <summary>Reads from the request body and keeps a copy of every byte read, up to a limit (an
    /// <see cref="IOException"/> beyond it, which ends the search).</summary>
    private sealed class RecordingStream(Stream inner, int limit) : ForwardReadStream
    {
        private readonly MemoryStream _recorded = new();

        public ReadOnlyMemory<byte> Recorded => _recorded.GetBuffer().AsMemory(0, (int)_recorded.Length);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var room = limit - (int)_recorded.Length;
            if (room <= 0)
            {
                throw new IOException("The upload form's token was not among its first fields.");
            }
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, room)], cancellationToken);
            _recorded.Write(buffer.Span[..read]);
            return read;
        }
    }

    /// <summary>Bytes already read, then the rest of the stream they came from.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ForwardReadStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty)
            {
                return await rest.ReadAsync(buffer, cancellationToken);
            }
            var count = Math.Min(buffer.Length, _prefix.Length);
            _prefix[..count].CopyTo(buffer);
            _prefix = _prefix[count..];
            return count;
        }
    }

    /// <summary>What the two streams above share: read forward, asynchronously, nothing else.</summary>
    private abstract class ForwardReadStream : Stream
    {
        public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("The request body is read asynchronously.");

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
