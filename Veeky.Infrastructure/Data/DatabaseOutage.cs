using System.Net.Sockets;
using Npgsql;

namespace Veeky.Data;

/// <summary>
/// Recognises a database that does not answer (down, restarting, unreachable over the network) as opposed to one
/// that answers with an error, describes it in one sentence for logs and <c>/health</c>, and spaces the retries.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>First wait after a failed attempt; doubled per attempt up to <see cref="MaxDelay"/>.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>A restarted server is noticed within this long, and a down one is asked at most this often.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(15);

    /// <summary>The wait before retry number <paramref name="attempt"/> (1-based).</summary>
    public static TimeSpan Delay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Clamp(attempt - 1, 0, 16)));

    /// <summary>True when <paramref name="error"/>, or an error it wraps (EF Core wraps provider errors), says the
    /// database server could not be reached or is not accepting connections right now.</summary>
    public static bool IsUnreachable(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    // Shutting down, starting up, or out of connection slots: all pass by themselves.
                    return postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                        or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
                        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal);
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                case EndOfStreamException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>The database and server of <paramref name="provider"/>, e.g. <c>PostgreSQL database "veeky" on db:5432</c>,
    /// to follow "The" in a sentence.</summary>
    public static string Describe(DatabaseProvider provider)
    {
        if (provider.Kind != DatabaseKind.Postgres)
        {
            // The file name only: /health is read by monitoring, which needs no server paths.
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(provider.ConnectionString).DataSource;
            return $"SQLite database \"{Path.GetFileName(file)}\"";
        }
        try
        {
            var settings = new NpgsqlConnectionStringBuilder(provider.ConnectionString);
            return $"PostgreSQL database \"{settings.Database}\" on {Server(settings)}";
        }
        catch (ArgumentException)
        {
            // Not key=value pairs; Npgsql will say so itself when it connects.
            return "the PostgreSQL database of ConnectionStrings:veeky";
        }
    }

    internal static string Server(NpgsqlConnectionStringBuilder settings) => $"{settings.Host}:{settings.Port}";

    /// <summary>The innermost message, which names the cause ("Connection refused") rather than the wrapper.</summary>
    public static string Reason(Exception error)
    {
        var reason = error.GetBaseException().Message.Trim();
        return reason.EndsWith('.') ? reason[..^1] : reason;
    }
}
