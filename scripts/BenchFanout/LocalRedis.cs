using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Veeky.Bench;

/// <summary>A throwaway <c>redis-server</c> on a free loopback port, without persistence, killed on dispose.</summary>
internal sealed class LocalRedis : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private LocalRedis(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<LocalRedis> StartAsync()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var folder = Directory.CreateTempSubdirectory("veeky-bench-redis-").FullName;
        var info = new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", folder, "--logfile", Path.Combine(folder, "redis.log")]);
        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start (install it or pass --redis).");
        var redis = new LocalRedis(process, folder, port);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return redis;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(20);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
