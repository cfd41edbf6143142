using System.Globalization;
using System.Net.Security;

namespace Veeky.Redis;

/// <summary>
/// Where and how to reach Redis, parsed from a StackExchange.Redis-style connection string as Aspire injects it:
/// <c>host:port,password=…,ssl=false</c>. Unknown options (<c>abortConnect</c>, …) are accepted and ignored.
/// </summary>
public sealed record RedisConnectionSettings(string Host, int Port)
{
    /// <summary>Redis's own default port, also what StackExchange.Redis assumes without TLS.</summary>
    public const int DefaultPort = 6379;

    /// <summary>ACL user name; null authenticates with the password alone (<c>AUTH password</c>).</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    public bool Ssl { get; init; }

    /// <summary>Decides whether to trust the server's TLS certificate; null leaves it to the system's trust store, as
    /// it should be in production. Set in code (a private CA, tests), never from the connection string.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>Database number for <c>SELECT</c>; 0 is Redis's default and needs no command.</summary>
    public int Database { get; init; }

    /// <summary>2 s: Redis sits on the local network; a search waiting longer for its cache than for the index is worse
    /// than no cache. <c>connectTimeout</c> (ms) in the connection string.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>2 s for one reply; Veeky's commands are tiny, so a slower answer means Redis or the link is unhealthy.
    /// <c>syncTimeout</c> (ms) in the connection string.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the subscriber connection, silent between messages, sends PING to prove Redis still answers.
    /// 15 s finds a hung Redis or a dead route long before TCP keep-alive would (hours by default).
    /// <c>keepAlive</c> (s) in the connection string.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconnect attempts start after 100 ms and double up to this, so a Redis outage costs one fast failure
    /// per interval instead of a connect timeout per command.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";

    public static RedisConnectionSettings Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        string? endpoint = null;
        string? user = null, password = null;
        bool ssl = false;
        int database = 0;
        TimeSpan? connectTimeout = null, commandTimeout = null, keepAlive = null;
        foreach (var part in connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=');
            if (equals < 0)
            {
                // StackExchange accepts several endpoints; Veeky talks to one Redis, the first.
                endpoint ??= part;
                continue;
            }
            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            switch (key.ToLowerInvariant())
            {
                case "password": password = value; break;
                case "user": user = value; break;
                case "ssl": ssl = bool.Parse(value); break;
                case "defaultdatabase": database = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "connecttimeout": connectTimeout = Milliseconds(value); break;
                case "synctimeout" or "asynctimeout": commandTimeout = Milliseconds(value); break;
                case "keepalive": keepAlive = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture)); break;
            }
        }
        if (endpoint is null)
        {
            throw new FormatException("The Redis connection string names no host:port.");
        }
        var (host, port) = ParseEndpoint(endpoint);
        var settings = new RedisConnectionSettings(host, port)
        {
            User = user, Password = string.IsNullOrEmpty(password) ? null : password, Ssl = ssl, Database = database,
        };
        return settings with
        {
            ConnectTimeout = connectTimeout ?? settings.ConnectTimeout,
            CommandTimeout = commandTimeout ?? settings.CommandTimeout,
            KeepAliveInterval = keepAlive ?? settings.KeepAliveInterval,
        };
    }

    private static TimeSpan Milliseconds(string value) =>
        TimeSpan.FromMilliseconds(int.Parse(value, CultureInfo.InvariantCulture));

    private static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        // "[::1]:6379" for IPv6; otherwise the last colon separates the port.
        if (endpoint.StartsWith('['))
        {
            var close = endpoint.IndexOf(']');
            var host = endpoint[1..close];
            var rest = endpoint[(close + 1)..];
            return (host, rest.StartsWith(':') ? int.Parse(rest[1..], CultureInfo.InvariantCulture) : DefaultPort);
        }
        var colon = endpoint.LastIndexOf(':');
        return colon < 0
            ? (endpoint, DefaultPort)
            : (endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture));
    }
}
