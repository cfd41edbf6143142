using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using FFMpegCore;
using FFMpegCore.Exceptions;
using Microsoft.Extensions.Logging;

namespace Veeky.Processes;

/// <summary>
/// The one place Veeky starts external tools (ffmpeg, ffprobe, tesseract, pocketsphinx): argument lists, never a
/// shell string; a timeout; cancellation that kills the whole process tree; stderr kept for the error message. When the
/// host stops (the container disposes this singleton), tools still running are killed with their children too, so none
/// outlives the host and keeps writing into a job's folder. ffprobe and the plain ffmpeg commands go through FFMpegCore
/// (<see cref="AnalyseAsync"/>, <see cref="RunAsync(FFMpegArgumentProcessor, TimeSpan, CancellationToken)"/>) under
/// the same rules; custom filter graphs keep to argument lists here.
/// </summary>
public sealed class ProcessRunner(ILogger<ProcessRunner> logger) : IDisposable
{
    /// <summary>One span per tool run, a child of the pipeline stage that ran it (ServiceDefaults subscribes to <c>Veeky.*</c>).</summary>
    public const string ActivitySourceName = "Veeky.Processes";

    private static readonly ActivitySource Activities = new(ActivitySourceName);

    private readonly ConcurrentDictionary<Process, string> _running = new();

    /// <summary>Cancelled when the host stops, ending the FFMpegCore runs this class cannot reach by process.</summary>
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>How long ffmpeg may take to quit after FFMpegCore sends it <c>q</c> before it is killed. ffmpeg has no
    /// children, so killing it is killing its tree; a cancelled job deletes what it was writing.</summary>
    private static readonly TimeSpan FfmpegQuitGrace = TimeSpan.FromMilliseconds(500);

    /// <summary>How much of stderr is kept for an error message: the end is where tools say what went wrong.</summary>
    private const int StderrTailChars = 4000;

    /// <summary>Runs a tool to completion and returns its output; throws <see cref="ProcessFailedException"/> on a
    /// non-zero exit or timeout. <paramref name="onStdoutLine"/>/<paramref name="onStderrLine"/> see lines as they come
    /// (for progress); stdout is also collected unless <paramref name="collectStdout"/> is false.
    /// <paramref name="environment"/> adds or overrides environment variables of the tool; <paramref name="priority"/>
    /// lowers (or raises) its CPU priority, e.g. for background work that should yield to a more urgent tool.</summary>
    public async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        CancellationToken ct,
        Action<string>? onStdoutLine = null,
        Action<string>? onStderrLine = null,
        bool collectStdout = true,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        ProcessPriorityClass? priority = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory ?? "",
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var activity = Activities.StartActivity(Path.GetFileName(fileName));
        activity?.SetTag("process.executable.name", Path.GetFileName(fileName));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (collectStdout) lock (stdout) stdout.AppendLine(e.Data);
            onStdoutLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
                if (stderr.Length > StderrTailChars * 4) stderr.Remove(0, stderr.Length - StderrTailChars);
            }
            onStderrLine?.Invoke(e.Data);
        };

        var started = Stopwatch.GetTimestamp();
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ToolNotFoundException(fileName, ex);
        }
        if (priority is { } level)
        {
            try
            {
                process.PriorityClass = level;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                // Not allowed here or already exited: the tool simply runs at normal priority.
            }
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutSource.CancelAfter(timeout);
        _running[process] = fileName;
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            ct.ThrowIfCancellationRequested();
            throw new ProcessFailedException(fileName, -1, $"timed out after {timeout.TotalSeconds:0} s. {Tail(stderr)}");
        }
        finally
        {
            _running.TryRemove(process, out _);
        }
        // WaitForExitAsync returns once the streams are drained too.
        var elapsed = Stopwatch.GetElapsedTime(started);
        logger.LogDebug("{Tool} exited with {ExitCode} after {Elapsed} ms", fileName, process.ExitCode, (long)elapsed.TotalMilliseconds);
        activity?.SetTag("process.exit.code", process.ExitCode);
        if (process.ExitCode != 0)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"exit code {process.ExitCode}");
            throw new ProcessFailedException(fileName, process.ExitCode, Tail(stderr));
        }
        return new ProcessResult(stdout.ToString(), Tail(stderr), elapsed);
    }

    /// <summary>Reads a media file's streams and format with <c>ffprobe</c> through FFMpegCore; throws
    /// <see cref="ProcessFailedException"/> when ffprobe fails, times out or the file is gone. FFMpegCore kills ffprobe
    /// when <paramref name="ct"/> (or the timeout, or the host stopping) cancels the read.</summary>
    public async Task<IMediaAnalysis> AnalyseAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        using var activity = Activities.StartActivity("ffprobe");
        activity?.SetTag("process.executable.name", "ffprobe");
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        timeoutSource.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var analysis = await FFProbe.AnalyseAsync(path, cancellationToken: timeoutSource.Token);
            logger.LogDebug("ffprobe read {Path} in {Elapsed} ms", path, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return analysis;
        }
        catch (Exception ex) when (Failure("ffprobe", ex, timeout, ct) is { } failure)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
            throw failure;
        }
    }

    /// <summary>Runs an ffmpeg command built with FFMpegCore; throws <see cref="ProcessFailedException"/> with the end
    /// of stderr on a non-zero exit or timeout. On cancellation FFMpegCore asks ffmpeg to quit and kills it after
    /// <see cref="FfmpegQuitGrace"/>.</summary>
    public async Task RunAsync(FFMpegArgumentProcessor command, TimeSpan timeout, CancellationToken ct)
    {
        using var activity = Activities.StartActivity("ffmpeg");
        activity?.SetTag("process.executable.name", "ffmpeg");
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        timeoutSource.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await command.CancellableThrough(timeoutSource.Token, FfmpegQuitGrace).ProcessAsynchronously(throwOnError: false);
            timeoutSource.Token.ThrowIfCancellationRequested();
            logger.LogDebug("ffmpeg exited with {ExitCode} after {Elapsed} ms", result.ExitCode, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            activity?.SetTag("process.exit.code", result.ExitCode);
            if (result.ExitCode != 0)
            {
                throw new ProcessFailedException("ffmpeg", result.ExitCode, Tail(result.StandardError));
            }
        }
        catch (Exception ex) when (Failure("ffmpeg", ex, timeout, ct) is { } failure)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
            throw failure;
        }
    }

    /// <summary>What an FFMpegCore failure means here: the caller's own cancellation passes through unchanged; a missing
    /// binary is <see cref="ToolNotFoundException"/>; anything else (exit code, timeout, host stopping, missing input)
    /// is <see cref="ProcessFailedException"/>; a <see cref="ProcessFailedException"/> thrown above stays as it is.</summary>
    private static Exception? Failure(string tool, Exception ex, TimeSpan timeout, CancellationToken ct) => ex switch
    {
        ProcessFailedException => null,
        OperationCanceledException when ct.IsCancellationRequested => null,
        OperationCanceledException => new ProcessFailedException(tool, -1, $"timed out after {timeout.TotalSeconds:0} s or the host is stopping."),
        System.ComponentModel.Win32Exception => new ToolNotFoundException(tool, ex),
        FFProbeProcessException probe => new ProcessFailedException(tool, probe.ExitCode, Tail(probe.StandardError)),
        FFMpegException => new ProcessFailedException(tool, -1, ex.Message),
        FileNotFoundException or DirectoryNotFoundException => new ProcessFailedException(tool, -1, ex.Message),
        _ => null,
    };

    private static string Tail(IEnumerable<string> lines) => Tail(string.Join('\n', lines));

    private static string Tail(string text)
    {
        text = text.Trim();
        return text.Length <= StderrTailChars ? text : text[^StderrTailChars..];
    }

    /// <summary>Kills the tools still running, each with its whole process tree (host shutdown).</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var (process, tool) in _running)
        {
            logger.LogInformation("Stopping {Tool} (process {ProcessId}): the host is shutting down", tool, process.Id);
            Kill(process);
        }
    }

    /// <summary>Whether a tool can be found on PATH (or at an absolute path).</summary>
    public static bool IsAvailable(string fileName)
    {
        if (Path.IsPathRooted(fileName))
        {
            return File.Exists(fileName);
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, fileName)));
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already exited (or exiting: its children are gone with it or reparented and killed by the tree walk).
        }
    }

    private static string Tail(StringBuilder stderr)
    {
        lock (stderr)
        {
            var text = stderr.ToString().Trim();
            return text.Length <= StderrTailChars ? text : text[^StderrTailChars..];
        }
    }
}

/// <summary>What a finished tool printed.</summary>
public sealed record ProcessResult(string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>A tool exited with an error or timed out; the message holds the end of its stderr.</summary>
public sealed class ProcessFailedException(string tool, int exitCode, string stderr)
    : Exception($"{Path.GetFileName(tool)} failed (exit code {exitCode}): {stderr}")
{
    public string Tool { get; } = tool;
    public int ExitCode { get; } = exitCode;
    public string Stderr { get; } = stderr;
}

/// <summary>A tool is not installed.</summary>
public sealed class ToolNotFoundException(string tool, Exception inner)
    : Exception($"{tool} is not installed or not on PATH. Run scripts/setup.sh to install it.", inner)
{
    public string Tool { get; } = tool;
}
