using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// The all-in-one host started in a separate process the way a person starts it (scripts/run.sh, or
/// <c>dotnet run</c> from the build output), not hosted in-process: what the browser gets then is what people get.
/// Data in a temp folder, a free loopback port, the first admin from the environment.
/// </summary>
public sealed class StartedHost : IAsyncDisposable
{
    public const string AdminEmail = "admin@veeky.test";
    public const string AdminPassword = "Started-Host-Passw0rd!";

    /// <summary>Publishing or building under a loaded two-core machine can take minutes; a hang still ends.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(8);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TempFolder data;

    private StartedHost(Process process, TempFolder data, string baseUrl)
    {
        this.process = process;
        this.data = data;
        BaseUrl = baseUrl;
    }

    /// <summary>Base address without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>The data folder the host was told to use (<c>Veeky__DataDirectory</c>).</summary>
    public string DataDirectory => data.Path;

    /// <summary>What the process printed so far (stdout and stderr), for assertions and failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>The repository's root folder (the one holding Veeky.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Veeky.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("Veeky.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary><c>scripts/run.sh --urls …</c>, exactly as the README starts Veeky.</summary>
    public static Task<StartedHost> RunScriptAsync(CancellationToken ct) =>
        StartAsync("bash", port => ["scripts/run.sh", "--urls", $"http://127.0.0.1:{port}"], ct);

    /// <summary><c>dotnet run --project Veeky.Web</c> from the Release build output without a launch profile: the
    /// Production environment on files that were built, not published.</summary>
    public static Task<StartedHost> DotnetRunAsync(CancellationToken ct) =>
        StartAsync("dotnet", port =>
            ["run", "--project", "Veeky.Web", "--configuration", "Release", "--no-launch-profile", "--", "--urls", $"http://127.0.0.1:{port}"], ct);

    /// <summary>A host published with <c>dotnet publish</c> into <paramref name="output"/> and started from there, as a
    /// server or container image runs it.</summary>
    public static async Task<StartedHost> PublishedAsync(string project, string output, CancellationToken ct)
    {
        var publish = new ProcessStartInfo("dotnet", ["publish", project, "--configuration", "Release", "--output", output, "-nologo"])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        WithoutBuildServers(publish);
        using (var process = Process.Start(publish)!)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"dotnet publish {project} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
            }
        }
        return await StartAsync(Path.Combine(output, project), port => ["--urls", $"http://127.0.0.1:{port}"], ct, workingDirectory: output);
    }

    private static async Task<StartedHost> StartAsync(string command, Func<int, string[]> arguments, CancellationToken ct, string? workingDirectory = null)
    {
        var port = FreePort();
        var data = new TempFolder("veeky-started-host");
        var info = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments(port))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["Veeky__DataDirectory"] = data.Path;
        info.Environment["Veeky__BootstrapAdmin__Email"] = AdminEmail;
        info.Environment["Veeky__BootstrapAdmin__Password"] = AdminPassword;
        // As a person's shell has it: no test-host environment leaking into the started host.
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        info.Environment.Remove("ASPNETCORE_URLS");
        WithoutBuildServers(info);

        var process = new Process { StartInfo = info };
        var host = new StartedHost(process, data, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilAliveAsync(ct);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>A build server left behind would outlive the test run.</summary>
    private static void WithoutBuildServers(ProcessStartInfo info)
    {
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitUntilAliveAsync(CancellationToken ct)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode} before answering /alive:\n{Output}");
            }
            try
            {
                using var response = await client.GetAsync(BaseUrl + "/alive", ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Busy building; ask again.
            }
            await Task.Delay(500, ct);
        }
        throw new TimeoutException($"The host did not answer /alive within {StartTimeout}:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or already gone.
        }
        process.Dispose();
        data.Dispose();
    }
}
