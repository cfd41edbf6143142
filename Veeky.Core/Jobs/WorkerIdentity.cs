using System.Diagnostics;

namespace Veeky.Jobs;

/// <summary>
/// Who holds a job, as written in its lease: <c>{host}/{process id}/{instance}/{slot}</c>. The host and process id let
/// a restarted process tell its dead predecessor's jobs from a live replica's: a lease names a dead predecessor when it
/// comes from this host and its process is gone (or its process id is now this process's own). Replicas therefore
/// need distinct host names, as Docker, Kubernetes and Aspire give them, or run as separate processes on one host.
/// </summary>
public sealed record WorkerIdentity(string Host, int ProcessId, string Instance)
{
    /// <summary>This process; the instance part tells it from an earlier process that had the same id.</summary>
    public static WorkerIdentity Current { get; } = new(Environment.MachineName, Environment.ProcessId, Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The lease owner prefix of this process's workers.</summary>
    public string Prefix => $"{Host}/{ProcessId}/{Instance}";

    /// <summary>The lease owner name of one worker slot of this process.</summary>
    public string Worker(int slot) => $"{Prefix}/{slot}";

    /// <summary>True when <paramref name="leaseOwner"/> is a worker of an earlier process on this host that is no longer
    /// running. Anything else (another host, a live process, a name in another format) is false: its lease runs out as
    /// usual, so a live replica never loses its job.</summary>
    public bool IsDeadPredecessor(string leaseOwner)
    {
        var parts = leaseOwner.Split('/');
        if (parts.Length < 3 || parts[0] != Host || parts[2] == Instance || !int.TryParse(parts[1], out var processId))
        {
            return false;
        }
        // The same id as this process: that earlier process is gone, since this one has its id now (containers start
        // their host as process 1 every time).
        return processId == ProcessId || !IsRunning(processId);
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            // An id reused by some other program counts as alive: waiting out a lease is safe, stealing one is not.
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
