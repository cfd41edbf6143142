using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Indexer.Media;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Pipeline;

/// <summary>The small copy of each keyframe the indexer writes for result tiles and the timeline (same indexed sample
/// as <see cref="PipelineTests"/>, no second indexing).</summary>
[Collection(IndexedSampleCollection.Name)]
public sealed class SegmentThumbnailTests(IndexedSampleFixture sample)
{
    private static readonly SampleVideoSpec Spec = SampleVideos.Scenes;

    [Fact]
    public async Task Every_segment_has_a_small_copy_of_its_keyframe_at_the_configured_width()
    {
        Requires.Tools([.. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);
        var video = await sample.GetVideoAsync();
        var media = sample.Host.Media;
        var width = sample.Host.Services.GetRequiredService<IOptions<KeyframeOptions>>().Value.ThumbnailWidth;
        var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        Assert.NotEmpty(video.Segments);

        foreach (var segment in video.Segments)
        {
            var path = media.SegmentThumbnailPath(video.Id, segment.Index);
            Assert.True(media.Exists(path), $"small copy of segment {segment.Index} is missing");
            var probe = await runner.RunAsync("ffprobe",
                ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0",
                    media.GetFullPath(path)], TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            var fields = probe.Stdout.Trim().Split(',');
            Assert.Equal("mjpeg", fields[0]);
            Assert.Equal(width, int.Parse(fields[1], CultureInfo.InvariantCulture));
            // The aspect ratio is kept (height rounded to an even number).
            Assert.InRange(int.Parse(fields[2], CultureInfo.InvariantCulture), width * Spec.Height / Spec.Width - 1, width * Spec.Height / Spec.Width + 1);
            Assert.True(new FileInfo(media.GetFullPath(path)).Length < new FileInfo(media.GetFullPath(segment.KeyframePath!)).Length);
        }
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(media.GetFullPath(media.KeyframePath(video.Id, 0)))!, "*.partial"));
    }
}
