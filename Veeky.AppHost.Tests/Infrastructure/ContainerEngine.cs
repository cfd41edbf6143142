using System.Diagnostics;

namespace Veeky.AppHost.Tests.Infrastructure;

/// <summary>
/// Tests that start containers run only where a container engine answers. The <c>docker</c> client is installed on
/// machines without a daemon, so its presence proves nothing: <c>docker info</c> must succeed. Without an engine the
/// test is skipped with the reason, under CI too (CI machines have none by design).
/// </summary>
public static class ContainerEngine
{
    private static readonly Lazy<string?> Failure = new(Probe);

    /// <summary>Why no engine is usable, or null when <c>docker info</c> succeeds.</summary>
    public static string? Unavailable => Failure.Value;

    public static void Require()
    {
        if (Unavailable is { } reason)
        {
            Assert.Skip($"needs a container engine: {reason}");
        }
    }

    private static string? Probe()
    {
        try
        {
            using var info = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var error = info.StandardError.ReadToEndAsync();
            if (!info.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                info.Kill(entireProcessTree: true);
                return "`docker info` did not answer within 30 s";
            }
            return info.ExitCode == 0 ? null : $"`docker info` failed: {error.Result.Trim().Split('\n')[0]}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "docker is not installed";
        }
    }
}
