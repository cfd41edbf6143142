using System.Diagnostics;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// A real, tiny file system (a tmpfs of a few MiB) mounted on a temp folder, for tests of a disk that fills up:
/// writes past its size fail with ENOSPC exactly as on a full disk. Needs root (or CAP_SYS_ADMIN) and Linux; unmounted
/// and removed on dispose.
/// </summary>
public sealed class TinyDisk : IDisposable
{
    private TinyDisk(string path) => Path = path;

    public string Path { get; }

    public static TinyDisk Mount(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"veeky-tiny-disk-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsLinux() || Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path) != 0)
        {
            Directory.Delete(path);
            Requires.Unavailable("needs a tmpfs mount (Linux, run as root)");
        }
        return new TinyDisk(path);
    }

    public void Dispose()
    {
        Run("umount", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Still busy: the OS cleans temp folders eventually.
        }
    }

    private static int Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
