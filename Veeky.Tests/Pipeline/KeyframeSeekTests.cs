using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Indexer.Media;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>
/// A keyframe seek that lands where the picture has already ended (sound that outlasts it) finds no frame: ffmpeg exits
/// 0 and writes nothing. That must be noticed at the seek, not surface later as a missing file in another step.
/// </summary>
public sealed class KeyframeSeekTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Four seconds of picture and twelve of sound.</summary>
    private static async Task<string> SoundOutlastsPictureAsync(TempFolder folder)
    {
        var path = folder.File("long-sound.mp4");
        await Runner().RunAsync("ffmpeg",
        [
            "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=4",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=12",
            "-pix_fmt", "yuv420p", "-c:v", "libx264", "-c:a", "aac", "-y", path,
        ], TimeSpan.FromMinutes(1), Ct);
        return path;
    }

    private static ProcessRunner Runner() => new(NullLogger<ProcessRunner>.Instance);

    [Fact]
    public async Task A_seek_past_the_last_picture_says_there_is_no_frame_and_the_look_back_finds_the_last_one()
    {
        Requires.Tools("ffmpeg");
        using var folder = new TempFolder("veeky-keyframe-seek");
        var video = await SoundOutlastsPictureAsync(folder);
        var extractor = new KeyframeExtractor(Runner(), Options.Create(new KeyframeOptions()));

        Assert.False(await extractor.ExtractAsync(video, 8, folder.File("at-8s.jpg"), Ct));
        Assert.False(File.Exists(folder.File("at-8s.jpg")));
        Assert.True(await extractor.ExtractLastBeforeAsync(video, 8, folder.File("last.jpg"), Ct));
        Assert.True(new FileInfo(folder.File("last.jpg")).Length > 0);
        Assert.True(await extractor.ExtractAsync(video, 2, folder.File("at-2s.jpg"), Ct));
    }

    [Fact]
    public async Task A_video_whose_sound_outlasts_its_picture_is_indexed_and_every_segment_has_a_keyframe_when_taken_by_seeks()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        using var folder = new TempFolder("veeky-keyframe-seek");
        await using var host = await IndexerHost.CreateAsync();
        var videoId = await host.AddVideoAsync(await SoundOutlastsPictureAsync(folder));
        // As on a retry on another machine: the scene pass's frames are gone, so every keyframe is taken by a seek.
        host.Recorder.Before[VideoStage.ExtractingKeyframes] = (context, _) =>
        {
            Directory.Delete(Path.Combine(context.WorkFolder, SceneDetector.FramesFolderName), recursive: true);
            return Task.CompletedTask;
        };

        var job = await host.Queue.TryClaimAsync("worker", Lease, Ct);
        Assert.NotNull(job);
        await host.Worker.RunJobAsync(job, "worker", Ct);

        var video = await host.LoadVideoAsync(videoId);
        Assert.True(video!.Status == VideoStatus.Completed, video.Error);
        Assert.Contains(video.Segments, s => (s.Start + s.End) / 2 > 4); // a seek where only the sound goes on
        Assert.All(video.Segments, s =>
        {
            Assert.NotNull(s.KeyframePath);
            Assert.True(host.Media.Exists(s.KeyframePath));
            Assert.True(host.Media.Exists(host.Media.SegmentThumbnailPath(videoId, s.Index)));
        });
        Assert.True(host.Media.Exists(host.Media.ThumbnailPath(videoId)));
    }
}
