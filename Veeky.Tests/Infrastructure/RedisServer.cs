using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StackExchange.Redis;
using Veeky.Processes;
using Veeky.Redis;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> run as a child process the tests own (not daemonised, so it can be killed and started
/// again on the same port to play a Redis restart), on a free loopback port, without persistence, in a temp folder.
/// As a class fixture it serves one test class; tests that kill it start their own with <see cref="StartAsync"/>.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private readonly TempFolder _folder = new("veeky-redis");
    private Process? _process;

    public RedisServer() : this(password: null, tls: false) { }

    private RedisServer(string? password, bool tls)
    {
        Password = password;
        Certificate = tls ? CreateCertificate() : null;
    }

    public string? Password { get; }

    /// <summary>The self-signed certificate the server presents when started with TLS (its only port is then TLS).</summary>
    public X509Certificate2? Certificate { get; }

    public int Port { get; private set; }

    public string? UnavailableReason { get; private set; }

    /// <summary>As Aspire writes it: <c>127.0.0.1:port[,password=…][,ssl=true]</c>.</summary>
    public string ConnectionString =>
        $"127.0.0.1:{Port}" + (Password is null ? "" : $",password={Password}") + (Certificate is null ? "" : ",ssl=true");

    /// <summary>A server of the caller's own (skips or fails the test when redis-server is missing).</summary>
    public static async Task<RedisServer> StartAsync(string? password = null, bool tls = false)
    {
        Requires.Tools("redis-server");
        var server = new RedisServer(password, tls);
        await server.InitializeAsync();
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        if (!ProcessRunner.IsAvailable("redis-server"))
        {
            UnavailableReason = "needs redis-server (install with scripts/setup.sh --test)";
            return;
        }
        Port = FreePort();
        await StartAsync();
    }

    /// <summary>Skips or fails the calling test when there is no server.</summary>
    public void Require()
    {
        if (UnavailableReason is not null)
        {
            Requires.Unavailable(UnavailableReason);
        }
    }

    /// <summary>A multiplexer as a Veeky host opens it (Veeky's defaults, abortConnect off), on this server unless
    /// another connection string is given; <paramref name="configure"/> adjusts the options first (a certificate check).</summary>
    public async Task<ConnectionMultiplexer> ConnectAsync(string? connectionString = null, Action<ConfigurationOptions>? configure = null)
    {
        var options = RedisConnectionDefaults.Apply(ConfigurationOptions.Parse(connectionString ?? ConnectionString));
        configure?.Invoke(options);
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    /// <summary>Starts the server (again) on its port and returns once it accepts connections.</summary>
    public async Task StartAsync()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        List<string> arguments =
        [
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", _folder.Path, "--logfile", _folder.File("redis.log"),
        ];
        if (Certificate is null)
        {
            arguments.AddRange(["--port", port]);
        }
        else
        {
            File.WriteAllText(_folder.File("redis.crt"), Certificate.ExportCertificatePem());
            File.WriteAllText(_folder.File("redis.key"), Certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
            arguments.AddRange(["--port", "0", "--tls-port", port, "--tls-cert-file", _folder.File("redis.crt"),
                "--tls-key-file", _folder.File("redis.key"), "--tls-auth-clients", "no"]);
        }
        if (Password is not null)
        {
            arguments.AddRange(["--requirepass", Password]);
        }
        var info = new ProcessStartInfo("redis-server", arguments) { WorkingDirectory = _folder.Path };
        _process = Process.Start(info)!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited ({_process.ExitCode}): {ReadLog()}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    /// <summary>Kills the server at once, as a crash or a container restart would: clients see their connections drop.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    private string ReadLog()
    {
        try { return File.ReadAllText(_folder.File("redis.log")); } catch (IOException) { return ""; }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _folder.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
