namespace Veeky.Tests.Infrastructure;

/// <summary>Reads Server-Sent Events from a response body, one event (id, type, data) at a time.</summary>
public sealed class ApiEventStream(Stream body) : IDisposable
{
    private readonly StreamReader _reader = new(body);

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<ServerSentEvent?> ReadAsync(CancellationToken ct)
    {
        string? id = null, type = null, data = null;
        while (await _reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new ServerSentEvent(id, type, data);
                }
                continue;
            }
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data = data is null ? value : data + "\n" + value; break;
            }
        }
        return null;
    }

    public void Dispose() => _reader.Dispose();
}

/// <summary>One Server-Sent Event.</summary>
public sealed record ServerSentEvent(string? Id, string? Type, string Data);
