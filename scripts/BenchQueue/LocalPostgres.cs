using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Veeky.Bench;

/// <summary>
/// A throwaway PostgreSQL server from the local binaries (initdb + pg_ctl) on a free loopback port, with the same
/// durability shortcuts as the test fixture (fsync off), so the benchmark measures the queue, not the disk.
/// As root it runs as the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"veeky-bench-pg-{Guid.NewGuid():N}");
    private readonly string _binaries;
    private readonly int _port;

    private LocalPostgres(string binaries)
    {
        _binaries = binaries;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<LocalPostgres> StartAsync()
    {
        var binaries = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d, StringComparer.Ordinal).FirstOrDefault()
            : null;
        var server = new LocalPostgres(binaries ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql (or pass --connection)."));
        Directory.CreateDirectory(server._folder);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", server._folder]);
        }
        var data = Path.Combine(server._folder, "data");
        await server.RunAsPostgresAsync("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
        await server.RunAsPostgresAsync("pg_ctl", ["-D", data, "-l", Path.Combine(server._folder, "server.log"), "-w", "-t", "60", "start", "-o",
            $"-p {server._port} -k {server._folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"]);
        return server;
    }

    /// <summary>Connection string of a new, empty database.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"bench_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={_port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsPostgresAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunAsPostgresAsync(string tool, IEnumerable<string> arguments)
    {
        var file = Path.Combine(_binaries, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. arguments]) : RunAsync(file, arguments);
    }

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
}
