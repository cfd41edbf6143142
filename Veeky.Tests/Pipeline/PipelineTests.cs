using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>What the whole pipeline extracts from a generated video whose cuts, words and speech are known.</summary>
[Collection(IndexedSampleCollection.Name)]
public sealed class PipelineTests(IndexedSampleFixture sample)
{
    private static readonly SampleVideoSpec Spec = SampleVideos.Scenes;

    private static void RequireTools() =>
        Requires.Tools([.. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);

    [Fact]
    public async Task Indexing_completes_with_the_probed_facts_of_the_video()
    {
        RequireTools();
        var video = await sample.GetVideoAsync();

        Assert.Equal(VideoStatus.Completed, video.Status);
        Assert.Equal(VideoStage.Done, video.Stage);
        Assert.Equal(1, video.Progress);
        Assert.Null(video.Error);
        Assert.Equal(Spec.Duration, video.DurationSeconds!.Value, 0.1);
        Assert.Equal((Spec.Width, Spec.Height), (video.Width, video.Height));
        Assert.Equal(Spec.FrameRate, video.FrameRate!.Value, 0.01);
        Assert.True(video.HasAudio);
    }

    [Fact]
    public async Task Segments_start_within_one_frame_interval_and_a_tenth_of_a_second_of_the_true_cuts()
    {
        RequireTools();
        var video = await sample.GetVideoAsync();

        var starts = video.Segments.Skip(1).Select(s => s.Start).ToList();
        Assert.Equal(Spec.Cuts.Count, starts.Count);
        foreach (var (expected, actual) in Spec.Cuts.Zip(starts))
        {
            Assert.InRange(actual, expected - Spec.FrameInterval - 0.1, expected + Spec.FrameInterval + 0.1);
        }
        Assert.Equal(0, video.Segments[0].Start);
        Assert.Equal(Spec.Duration, video.Segments[^1].End, 0.1);
        Assert.All(video.Segments.Zip(video.Segments.Skip(1)), pair => Assert.Equal(pair.First.End, pair.Second.Start));
        Assert.Equal(video.Segments.Count, video.SegmentCount);
    }

    [Fact]
    public async Task Every_segment_has_a_keyframe_from_its_middle_and_the_video_has_a_thumbnail()
    {
        RequireTools();
        var video = await sample.GetVideoAsync();
        var media = sample.Host.Media;

        Assert.All(video.Segments, segment =>
        {
            Assert.NotNull(segment.KeyframePath);
            Assert.True(media.Exists(segment.KeyframePath), $"keyframe of segment {segment.Index} is missing");
            Assert.InRange(segment.KeyframeTime!.Value, segment.Start, segment.End);
        });
        Assert.Equal(video.Segments.Count, video.Segments.Select(s => s.KeyframePath).Distinct().Count());
        Assert.True(media.Exists(media.ThumbnailPath(video.Id)));
    }

    [Theory]
    [InlineData(0, "WELCOME")]
    [InlineData(1, "GIRAFFE")] // drawn over a busy, colourful test pattern
    [InlineData(2, "QUARTERLY")]
    public async Task On_screen_words_are_read_in_the_segment_that_shows_them(int segment, string word)
    {
        RequireTools();
        var video = await sample.GetVideoAsync();

        Assert.Contains(word, video.Segments[segment].OcrText ?? "");
        Assert.All(video.Segments.Where(s => s.Index != segment), other => Assert.DoesNotContain(word, other.OcrText ?? ""));
        Assert.Null(video.Segments[3].OcrText); // a flat colour yields no text, not noise
    }

    [Theory]
    [InlineData(1, "purple elephant")]
    [InlineData(3, "trumpets")]
    public async Task Spoken_words_land_in_the_segment_where_they_are_said(int segment, string words)
    {
        RequireTools();
        var video = await sample.GetVideoAsync();

        Assert.Contains(words, video.Segments[segment].Transcript ?? "");
        Assert.All(video.Segments.Where(s => s.Index != segment), other => Assert.DoesNotContain(words, other.Transcript ?? ""));
        Assert.Null(video.Segments[0].Transcript);
        Assert.Contains("elephant", video.TranscriptJson);
    }

    [Fact]
    public async Task Progress_is_broadcast_stage_by_stage_and_never_goes_backwards()
    {
        RequireTools();
        var video = await sample.GetVideoAsync();
        var events = sample.Events.Where(e => e.Id == video.Id).ToList();

        Assert.Equal(VideoStatus.Completed, events[^1].Status);
        Assert.Equal(VideoStage.Done, events[^1].Stage);
        Assert.Equal(1, events[^1].Progress);
        Assert.Contains(events, e => e.Status == VideoStatus.Processing);
        Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.Second.Progress >= pair.First.Progress));
    }
}
