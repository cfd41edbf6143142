using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Veeky.Media;
using Veeky.Tests.Infrastructure;
using Veeky.Tests.Pipeline;

namespace Veeky.Tests.Jobs;

/// <summary>
/// What a crash leaves in the media folder is removed at start, and nothing another host sharing the folder may still
/// use: a live upload, a running job's work files, a queued retry's frames.
/// </summary>
public sealed class MediaLeftoverCleanerTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly DateTime LongAgo = DateTime.UtcNow - MediaLeftoverCleaner.LeftoverAge - TimeSpan.FromMinutes(5);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_up_removes_crash_leftovers_and_keeps_what_other_hosts_may_be_using()
    {
        await using var host = await IndexerHost.CreateAsync();
        using var folder = new TempFolder("veeky-leftovers");
        var source = folder.File("source.mp4");
        await File.WriteAllBytesAsync(source, [0, 0, 0, 24], Ct);
        var running = await host.AddVideoAsync(source);
        Assert.NotNull(await host.Queue.TryClaimAsync("another-replica/7/abcdef01/0", Lease, Ct));
        var finished = await host.AddVideoAsync(source);
        var finishedJob = await host.Queue.TryClaimAsync("another-replica/7/abcdef01/1", Lease, Ct);
        await host.Queue.CompleteAsync(finishedJob!.Id, "another-replica/7/abcdef01/1", Ct);
        var queued = await host.AddVideoAsync(source);

        var runningWork = Write(host.Media.WorkFolder(running), "audio.wav", fresh: false);
        var staleThumbnail = Write(Folder(host, running, "keyframes"), "00001.thumb.jpg.0a1b.partial", fresh: false);
        var liveThumbnail = Write(Folder(host, running, "keyframes"), "00002.thumb.jpg.2c3d.partial", fresh: true);
        var finishedWork = Write(host.Media.WorkFolder(finished), "frames/000001.jpg", fresh: false);
        var queuedWork = Write(host.Media.WorkFolder(queued), "frames/000001.jpg", fresh: false);
        var crashedUpload = Write(Folder(host, Guid.CreateVersion7(), ""), "original.upload.4e5f.partial", fresh: false);
        var liveUpload = Write(Folder(host, Guid.CreateVersion7(), ""), "original.upload.6a7b.partial", fresh: true);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(crashedUpload)!, LongAgo);

        var cleaner = host.Services.GetServices<IHostedService>().OfType<MediaLeftoverCleaner>().Single();
        await cleaner.CleanAsync(Ct);

        Assert.False(File.Exists(staleThumbnail));
        Assert.False(Directory.Exists(Path.GetDirectoryName(crashedUpload)), "a crashed upload's folder without a video row");
        Assert.False(Directory.Exists(host.Media.GetFullPath($"videos/{finished:N}/work")), "the work folder of a finished job");
        Assert.True(File.Exists(runningWork), "a job running on another replica keeps its work files");
        Assert.True(File.Exists(queuedWork), "a queued retry resumes from its work files");
        Assert.True(File.Exists(liveThumbnail), "a thumbnail being written right now");
        Assert.True(File.Exists(liveUpload), "an upload in progress on another replica");
        Assert.True(host.Media.Exists(host.Media.OriginalPath(running, ".mp4")), "the videos themselves stay");
    }

    private static string Folder(IndexerHost host, Guid videoId, string name)
    {
        var folder = host.Media.GetFullPath(name.Length == 0 ? $"videos/{videoId:N}" : $"videos/{videoId:N}/{name}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string Write(string folder, string name, bool fresh)
    {
        var path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1, 2, 3]);
        if (!fresh)
        {
            File.SetLastWriteTimeUtc(path, LongAgo);
        }
        return path;
    }
}
