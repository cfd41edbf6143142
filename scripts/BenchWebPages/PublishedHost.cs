using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// The published all-in-one host (<c>Veeky.Web</c> from <c>dotnet publish</c>, as scripts/run.sh starts it: precompressed,
/// immutably cached assets) as a process of its own on a free loopback port, its data in the given folder. Its output goes
/// to <c>host.log</c> there; it is stopped, with its children, when disposed.
/// </summary>
internal sealed class PublishedHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private PublishedHost(Process process, StreamWriter log, string baseUrl)
    {
        _process = process;
        _log = log;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public static async Task<PublishedHost> StartAsync(string publishFolder, string dataFolder, string adminEmail, string adminPassword)
    {
        var executable = Path.Combine(publishFolder, "Veeky.Web");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"No published host at {executable}: run scripts/bench-web-pages, which publishes it first.");
        }
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo(executable)
        {
            // As run.sh: the published host finds its appsettings.json and wwwroot in its own folder.
            WorkingDirectory = publishFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = baseUrl;
        start.Environment["Veeky__DataDirectory"] = dataFolder;
        start.Environment["Veeky__BootstrapAdmin__Email"] = adminEmail;
        start.Environment["Veeky__BootstrapAdmin__Password"] = adminPassword;
        var log = new StreamWriter(Path.Combine(dataFolder, "host.log"), append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new PublishedHost(process, log, baseUrl);
        await host.WaitUntilReadyAsync();
        return host;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host stopped with exit code {_process.ExitCode}; see host.log in the data folder.");
            }
            try
            {
                using var health = await http.GetAsync(BaseUrl + "/health");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("The host did not report healthy within 3 minutes; see host.log in the data folder.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
