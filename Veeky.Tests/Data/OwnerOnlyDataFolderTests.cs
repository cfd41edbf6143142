using Veeky.Tests.Infrastructure;
using Veeky.Tests.Pipeline;

namespace Veeky.Tests.Data;

/// <summary>The data folder (database, search index, key rings, media) is readable by the host's own user only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyDataFolderTests
{
    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    [Fact]
    public async Task A_world_readable_data_folder_is_tightened_at_start_and_new_files_are_born_owner_only()
    {
        using var folder = new TempFolder("veeky-permissions");
        var data = Path.Combine(folder.Path, "data");
        Directory.CreateDirectory(Path.Combine(data, "media", "videos"));
        File.WriteAllText(Path.Combine(data, "veeky.db-old-copy"), "secrets");
        File.WriteAllText(Path.Combine(data, "media", "videos", "keyframe.jpg"), "picture");
        foreach (var entry in Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories).Append(data))
        {
            File.SetUnixFileMode(entry, File.GetUnixFileMode(entry) | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                | (Directory.Exists(entry) ? UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : 0));
        }
        await using var host = await IndexerHost.CreateAsync(settings: new Dictionary<string, string?> { ["Veeky:DataDirectory"] = data });

        await host.StartAsync();
        var source = Path.Combine(folder.Path, "source.mp4");
        await File.WriteAllBytesAsync(source, [0, 0, 0, 24], TestContext.Current.CancellationToken);
        await host.AddVideoAsync(source);

        var entries = Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories).Append(data).ToList();
        Assert.Contains(entries, e => e.EndsWith("veeky.db", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Contains("original.mp4", StringComparison.Ordinal));
        Assert.All(entries, entry => Assert.True((File.GetUnixFileMode(entry) & GroupAndOthers) == 0,
            $"{Path.GetRelativePath(data, entry)} is {File.GetUnixFileMode(entry)}"));
    }
}
