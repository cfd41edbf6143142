using System.Diagnostics;

namespace Veeky.AppHost;

/// <summary>
/// Whether a container engine answers. Without one, DCP leaves every container "starting" and the projects waiting
/// for them forever; the AppHost says so in one line instead. The <c>docker</c> client alone proves nothing (it is
/// installed on machines without a daemon), so this asks the daemon: <c>docker info</c> (or the runtime
/// <c>ASPIRE_CONTAINER_RUNTIME</c> names) must succeed. Started directly rather than through Veeky's ProcessRunner:
/// the AppHost references Veeky's projects as resources, not as assemblies.
/// </summary>
public static class ContainerRuntimeCheck
{
    /// <summary>The runtime Aspire would use: <c>docker</c> unless <c>ASPIRE_CONTAINER_RUNTIME</c> says <c>podman</c>.</summary>
    public static string RuntimeName =>
        Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } configured ? configured : "docker";

    public static bool IsAvailable()
    {
        try
        {
            using var info = Process.Start(new ProcessStartInfo(RuntimeName, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (info is null)
            {
                return false;
            }
            // A daemon answers at once; a hung socket must not hold up the start.
            if (!info.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                info.Kill(entireProcessTree: true);
                return false;
            }
            return info.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }

    /// <summary>The one line the distributed profile prints when no engine answers.</summary>
    public static string UnavailableMessage =>
        $"The distributed edition runs PostgreSQL, OpenSearch, Redis, Ollama and Whisper in containers, but `{RuntimeName} info` "
        + "failed: start Docker, or run the embedded edition without containers: "
        + "dotnet run --project Veeky.AppHost --launch-profile embedded";
}
