using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the test run, started from the local binaries (initdb + pg_ctl) on a free loopback
/// port in a temp folder, and stopped at the end. Each test class asks it for a database of its own.
/// As root the server runs as the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string? _folder;
    private string? _binaries;
    private int _port;

    public string? UnavailableReason { get; private set; }

    /// <summary>The run's server (the assembly fixture), for hosts the storage switch puts on PostgreSQL
    /// (<see cref="TestStorage"/>); null until it has started.</summary>
    public static PostgresServer? Shared { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Shared ??= this;
        _binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .FirstOrDefault()
            : null;
        if (_binaries is null)
        {
            UnavailableReason = "needs PostgreSQL server binaries (/usr/lib/postgresql/*/bin; scripts/setup.sh --test)";
            return;
        }

        _folder = Path.Combine(Path.GetTempPath(), $"veeky-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        var data = Path.Combine(_folder, "data");
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _folder]);
        }
        _port = FreePort();
        await RunAsPostgresAsync(Path.Combine(_binaries, "initdb"),
            ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
        await StartAsync();
    }

    /// <summary>Starts the server (again) on its port: a database server coming back.</summary>
    public Task StartAsync() => RunAsPostgresAsync(Path.Combine(_binaries!, "pg_ctl"),
        ["-D", Path.Combine(_folder!, "data"), "-l", Path.Combine(_folder!, "server.log"), "-w", "-t", "60", "start", "-o",
         $"-p {_port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"]);

    /// <summary>Stops the server as an operator does (<c>pg_ctl stop -m fast</c>: sessions are ended); its data stays.
    /// Only for a server a test owns: the run's shared server serves every other test.</summary>
    public Task StopAsync() =>
        RunAsPostgresAsync(Path.Combine(_binaries!, "pg_ctl"), ["-D", Path.Combine(_folder!, "data"), "-m", "fast", "-w", "stop"]);

    /// <summary>A server of a test's own, for tests that stop and start it.</summary>
    public static async Task<PostgresServer> StartOwnAsync()
    {
        var server = new PostgresServer();
        await server.InitializeAsync();
        if (server.UnavailableReason is { } reason)
        {
            Requires.Unavailable(reason);
        }
        return server;
    }

    /// <summary>The server's address as Veeky names it in messages, e.g. <c>127.0.0.1:41234</c>.</summary>
    public string Address => $"127.0.0.1:{_port}";

    /// <summary>Creates a login role (no password: the server trusts local connections) that may or may not create databases.</summary>
    public async Task CreateRoleAsync(string role, bool mayCreateDatabases)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"CREATE ROLE \"{role}\" LOGIN {(mayCreateDatabases ? "CREATEDB" : "NOCREATEDB")}", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Whether a database of this name exists on the server.</summary>
    public async Task<bool> DatabaseExistsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", database);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>Connection string of a new, empty database.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        if (UnavailableReason is not null)
        {
            Requires.Unavailable(UnavailableReason);
        }
        var name = $"veeky_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    /// <summary>Connection string of <paramref name="database"/>, which need not exist, as <paramref name="role"/>.</summary>
    public string ConnectionString(string database, string role = "postgres") =>
        $"Host=127.0.0.1;Port={_port};Username={role};Database={database};Pooling=true;Maximum Pool Size=50";

    public async ValueTask DisposeAsync()
    {
        if (_folder is null || _binaries is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        try
        {
            // A test may have left its own server stopped.
            if (File.Exists(Path.Combine(_folder, "data", "postmaster.pid")))
            {
                await RunAsPostgresAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
            }
        }
        finally
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task RunAsPostgresAsync(string file, IEnumerable<string> arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments]) : RunAsync(file, arguments);

    private static async Task RunAsync(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
