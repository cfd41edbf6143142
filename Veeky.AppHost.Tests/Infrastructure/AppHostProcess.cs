using System.Diagnostics;
using System.Text;

namespace Veeky.AppHost.Tests.Infrastructure;

/// <summary>
/// The AppHost run as its users run it: <c>dotnet run --project Veeky.AppHost</c> (already built, in this test
/// build's configuration), with a launch profile or arguments, its output collected line by line. Disposing stops it
/// with Ctrl+C as a person would and waits for it to exit.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(string Prefix, TaskCompletionSource<string> Line)> _waiters = [];

    private AppHostProcess(Process process) => _process = process;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Release or Debug: the configuration this test assembly (and so the AppHost) was built in.</summary>
    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static AppHostProcess Start(IEnumerable<string> runArguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in (string[])["run", "--no-build", "-c", Configuration, "--project", "Veeky.AppHost", .. runArguments])
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var host = new AppHostProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        host._process.OutputDataReceived += (_, e) => host.Received(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.Received(e.Data);
        host._process.Start();
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The first output line containing <paramref name="text"/> (already printed or still to come).</summary>
    public Task<string> LineContainingAsync(string text, CancellationToken ct)
    {
        var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var found = _output.ToString().Split('\n').FirstOrDefault(line => line.Contains(text, StringComparison.Ordinal));
            if (found is not null)
            {
                return Task.FromResult(found.TrimEnd('\r'));
            }
            _waiters.Add((text, waiter));
        }
        return waiter.Task.WaitAsync(ct);
    }

    public async Task<int> WaitForExitAsync(CancellationToken ct)
    {
        await _process.WaitForExitAsync(ct);
        return _process.ExitCode;
    }

    private void Received(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Prefix, StringComparison.Ordinal)).ToList())
            {
                waiter.Line.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Ctrl+C: the AppHost stops its resources and DCP before exiting.
            using (var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString()]))
            {
                await interrupt.WaitForExitAsync();
            }
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Veeky.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Veeky.sln above {AppContext.BaseDirectory}");
    }
}
