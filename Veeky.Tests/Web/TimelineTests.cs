using System.Text.RegularExpressions;
using Veeky.Contracts;
using Veeky.Tests.Infrastructure;
using Veeky.Web.Api;
using Veeky.Web.Components.Shared;

namespace Veeky.Tests.Web;

/// <summary>The chapters of the video page: their arithmetic, and the Timeline and Transcript components rendered.</summary>
public sealed partial class TimelineTests
{
    private static readonly Guid VideoId = Guid.Parse("dddddddd-0000-0000-0000-000000000002");

    private static VideoSegment Segment(int index, double start, double end, string? transcript = null, string? keyframe = null) =>
        new(index, start, end, transcript, null, null, [], keyframe ?? $"/media/k{index}.jpg");

    private static readonly IReadOnlyList<VideoSegment> ThreeSegments =
    [
        Segment(0, 0, 10, "welcome everyone"),
        Segment(1, 10, 40, "revenue grew twelve percent"),
        Segment(2, 40, 100, "questions from the floor"),
    ];

    [Fact]
    public void Chapters_sit_along_the_strip_in_proportion_to_their_length()
    {
        var chapters = VideoChapters.From(ThreeSegments, 100);

        Assert.Equal(100, chapters.Duration);
        Assert.Equal([0, 10, 40], chapters.Items.Select(c => c.Offset));
        Assert.Equal([10, 30, 60], chapters.Items.Select(c => c.Width));
        Assert.Equal([1, 2, 3], chapters.Items.Select(c => c.Number));
    }

    [Fact]
    public void Chapters_are_named_with_their_number_start_and_end_and_labelled_with_their_start()
    {
        var chapters = VideoChapters.From([Segment(0, 0, 42), Segment(1, 42.6, 70.2), Segment(2, 70.2, 3725)], 3725);

        Assert.Equal("Chapter 2, 00:42 to 01:10", chapters.Items[1].Name);
        Assert.Equal("00:42", chapters.Items[1].TimeLabel);
        Assert.Equal("Chapter 3, 01:10 to 1:02:05", chapters.Items[2].Name);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(9.99, 1)]
    [InlineData(10, 2)]
    [InlineData(39.5, 2)]
    [InlineData(40, 3)]
    [InlineData(100, 3)]
    [InlineData(250, 3)]
    public void The_current_chapter_is_the_one_playing_and_the_last_one_past_the_end(double seconds, int expected) =>
        Assert.Equal(expected, VideoChapters.From(ThreeSegments, 100).At(seconds)?.Number);

    [Theory]
    [InlineData(-1.0)]
    [InlineData(15.0)]
    [InlineData(double.NaN)]
    [InlineData(null)]
    public void No_chapter_is_current_before_the_first_in_a_gap_or_without_a_time(double? seconds)
    {
        var chapters = VideoChapters.From([Segment(0, 2, 10), Segment(1, 20, 30)], 30);

        Assert.Null(chapters.At(seconds));
    }

    [Fact]
    public void Segments_out_of_order_or_past_the_probed_duration_still_make_a_strip_of_one_hundred_percent()
    {
        // A probe can round the duration down; the last segment's end wins so no chapter spills off the strip.
        var chapters = VideoChapters.From([Segment(1, 5, 12.5), Segment(0, 0, 5)], 12);

        Assert.Equal(12.5, chapters.Duration);
        Assert.Equal([0, 1], chapters.Items.Select(c => c.SegmentIndex));
        Assert.Equal(100, chapters.Items.Sum(c => c.Width), 3);
        Assert.Equal(100, chapters.Items[^1].Offset + chapters.Items[^1].Width, 3);
    }

    [Fact]
    public void Segments_without_length_share_the_strip_evenly()
    {
        var chapters = VideoChapters.From([Segment(0, 0, 0), Segment(1, 0, 0)], null);

        Assert.Equal([50, 50], chapters.Items.Select(c => c.Width));
        Assert.Equal([0, 50], chapters.Items.Select(c => c.Offset));
    }

    [Fact]
    public void A_video_without_segments_has_no_chapters()
    {
        Assert.Empty(VideoChapters.From([], 30).Items);
        Assert.Empty(VideoChapters.From(null, 30).Items);
        Assert.Null(VideoChapters.Empty.At(3));
    }

    [Fact]
    public async Task The_timeline_renders_one_named_seeking_link_per_chapter_sized_by_length()
    {
        var html = await RenderTimelineAsync(VideoChapters.From(ThreeSegments, 100), currentTime: null);

        Assert.Contains("aria-label=\"Chapters\"", html);
        Assert.Equal(3, ChapterLinks().Matches(html).Count);
        Assert.Contains($"href=\"/videos/{VideoId}?t=10\"", html);
        Assert.Contains("data-seek=\"10\" data-end=\"40\"", html);
        Assert.Contains("aria-label=\"Chapter 2, 00:10 to 00:40\"", html);
        Assert.Contains("data-grow=\"30\"", html);
        Assert.Contains("data-grow=\"60\"", html);
        Assert.Contains(">00:40</span>", html);
        Assert.Contains("src=\"/media/k2.jpg\"", html);
        Assert.DoesNotContain("is-current", html);
        Assert.DoesNotContain("aria-current", html);
    }

    [Fact]
    public async Task The_timeline_marks_the_chapter_at_the_start_time_as_current()
    {
        var html = await RenderTimelineAsync(VideoChapters.From(ThreeSegments, 100), currentTime: 12.5);

        var current = Assert.Single(CurrentLinks().Matches(html));
        Assert.Contains("aria-label=\"Chapter 2, 00:10 to 00:40\"", current.Value);
        Assert.Contains("aria-current=\"time\"", current.Value);
    }

    [Fact]
    public async Task A_single_segment_fills_the_whole_strip()
    {
        var html = await RenderTimelineAsync(VideoChapters.From([Segment(0, 0, 6)], 6), currentTime: 0);

        Assert.Single(ChapterLinks().Matches(html));
        Assert.Contains("data-grow=\"100\"", html);
        Assert.Contains("aria-label=\"Chapter 1, 00:00 to 00:06\"", html);
        Assert.Single(CurrentLinks().Matches(html));
    }

    [Fact]
    public async Task An_empty_video_renders_no_timeline_and_a_transcript_that_says_so()
    {
        var timeline = await RenderTimelineAsync(VideoChapters.From([], 30), currentTime: 3);
        var transcript = await RenderTranscriptAsync([], currentTime: null, emptyText: "Moments appear when indexing finishes.");

        Assert.Equal("", timeline.Trim());
        Assert.Contains("Moments appear when indexing finishes.", transcript);
        Assert.DoesNotContain("data-seek", transcript);
    }

    [Fact]
    public async Task The_transcript_lists_every_line_as_a_seeking_link_and_highlights_the_one_at_the_start_time()
    {
        var html = await RenderTranscriptAsync(ThreeSegments, currentTime: 45, emptyText: null);

        Assert.Contains("data-transcript", html);
        Assert.Equal(3, Regex.Matches(html, "<a class=\"segment").Count);
        Assert.Contains($"href=\"/videos/{VideoId}?t=40\"", html);
        var current = Assert.Single(CurrentLinks().Matches(html));
        Assert.Contains("data-seek=\"40\" data-end=\"100\"", current.Value);
        Assert.Contains("questions from the floor", html);
        Assert.Contains("00:10</time>–<time>00:40", html);
    }

    [Fact]
    public async Task The_transcript_shows_text_on_screen_captions_and_keywords_as_text_never_markup()
    {
        var segment = new VideoSegment(0, 0, 5, "<script>alert(1)</script> hello", "Q3 <b>REVENUE</b>", "A chart on a slide", ["finance", "q3"], null);

        var html = await RenderTranscriptAsync([segment], currentTime: null, emptyText: null);

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; hello", html);
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("Q3 &lt;b&gt;REVENUE&lt;/b&gt;", html);
        Assert.Contains("A chart on a slide", html);
        Assert.Matches("finance (·|&#xB7;) q3", html);
        Assert.DoesNotContain("<img", html);
    }

    [Fact]
    public async Task The_transcript_shows_the_small_thumbnail_and_falls_back_to_the_keyframe()
    {
        var withThumbnail = Segment(0, 0, 5, "hello") with { ThumbnailUrl = "/media/t0.jpg" };
        var keyframeOnly = Segment(1, 5, 9, "again");

        var html = await RenderTranscriptAsync([withThumbnail, keyframeOnly], currentTime: null, emptyText: null);

        Assert.Contains("src=\"/media/t0.jpg\"", html);
        Assert.DoesNotContain("/media/k0.jpg", html);
        Assert.Contains("src=\"/media/k1.jpg\"", html);
        Assert.Equal(2, Regex.Matches(html, "width=\"160\" height=\"90\"").Count);
    }

    private static Task<string> RenderTimelineAsync(VideoChapters chapters, double? currentTime) =>
        WebComponentRenderer.RenderAsync<Timeline>(new Dictionary<string, object?>
        {
            [nameof(Timeline.VideoId)] = VideoId,
            [nameof(Timeline.Chapters)] = chapters,
            [nameof(Timeline.CurrentTime)] = currentTime,
        });

    private static Task<string> RenderTranscriptAsync(IReadOnlyList<VideoSegment> segments, double? currentTime, string? emptyText)
    {
        var parameters = new Dictionary<string, object?>
        {
            [nameof(Transcript.VideoId)] = VideoId,
            [nameof(Transcript.Segments)] = segments,
            [nameof(Transcript.CurrentTime)] = currentTime,
        };
        if (emptyText is not null)
        {
            parameters[nameof(Transcript.EmptyText)] = emptyText;
        }
        return WebComponentRenderer.RenderAsync<Transcript>(parameters);
    }

    [GeneratedRegex("<a class=\"timeline__chapter[^>]*>")]
    private static partial Regex ChapterLinks();

    [GeneratedRegex("<a class=\"[a-z_]+ is-current\"[^>]*>")]
    private static partial Regex CurrentLinks();
}
