using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Veeky.Data;

/// <summary>
/// Keeps the data folder (<c>veeky.db</c>, <c>search.db</c>, the key rings, the media) readable by the host's own user
/// only, on Unix: from start on, everything the host and its tools create is owner-only (umask 077), and a folder left
/// readable by an older version or a hand-made copy is tightened to 0700 folders and 0600 files. Runs first among the
/// hosted services, before the database or the index is opened or created.
/// </summary>
public sealed class OwnerOnlyDataFolder(IOptions<VeekyDataOptions> options, ILogger<OwnerOnlyDataFolder> logger) : IHostedService
{
    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return Task.CompletedTask; // a user's profile folder is private there already
        }
        // Inherited by ffmpeg and the other tools too, so keyframes and work files are born owner-only.
        _ = SetUmask(0b000_111_111);
        var folders = options.Value;
        Restrict(folders.FullDataDirectory());
        if (folders.MediaDirectory is not null)
        {
            Restrict(folders.ResolvedMediaDirectory());
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates <paramref name="folder"/> as 0700 if missing, and takes every group and other permission off it and
    /// off everything inside it (symbolic links are not followed).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void Restrict(string folder)
    {
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }
        var tightened = 0;
        var refused = 0;
        var root = new DirectoryInfo(folder);
        var entries = root.EnumerateFileSystemInfos("*", new EnumerationOptions
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = true,
        });
        foreach (var entry in entries.Prepend(root))
        {
            try
            {
                var mode = entry.UnixFileMode;
                if ((mode & GroupAndOthers) != 0)
                {
                    entry.UnixFileMode = mode & ~GroupAndOthers;
                    tightened++;
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                refused++; // not this user's file, or gone meanwhile
            }
        }
        if (tightened > 0)
        {
            logger.LogInformation("Made {Count} entries of {Folder} readable by this user only", tightened, folder);
        }
        if (refused > 0)
        {
            logger.LogWarning("Could not make {Count} entries of {Folder} owner-only (owned by another user?); check its permissions", refused, folder);
        }
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint SetUmask(uint mask);
}
