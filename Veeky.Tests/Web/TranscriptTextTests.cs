using Veeky.Contracts;
using Veeky.Web.Api;
using Veeky.Web.Transcripts;

namespace Veeky.Tests.Web;

public sealed class TranscriptTextTests
{
    [Fact]
    public void The_text_is_the_title_then_one_timed_line_per_sentence_in_time_order_not_cut_at_moments()
    {
        // One sentence runs across the moments' boundary at 4 s: it stays one line, timed where it starts.
        var text = TranscriptText.Write("All hands", TranscriptText.Sentences([
            new TranscriptSentence(2.5, 6, "Revenue grew\ntwelve  percent this quarter."),
            new TranscriptSentence(0, 2.4, "Welcome everyone."),
            new TranscriptSentence(65.7, 70, "Questions?"),
        ], [
            new VideoSegment(0, 0, 4, "welcome everyone revenue grew", null, null, [], null),
            new VideoSegment(1, 4, 70, "twelve percent this quarter questions", null, null, [], null),
        ]));

        Assert.Equal("All hands\n\n[00:00] Welcome everyone.\n[00:02] Revenue grew twelve percent this quarter.\n[01:05] Questions?\n", text);
    }

    [Fact]
    public void A_video_indexed_before_timed_words_were_kept_has_a_line_per_moment_with_speech_as_its_page_shows()
    {
        var text = TranscriptText.Write("All hands", TranscriptText.Sentences([], [
            new VideoSegment(1, 65.7, 70, "revenue grew\ntwelve  percent", null, null, [], null),
            new VideoSegment(0, 0, 4, "welcome everyone", null, null, [], null),
            new VideoSegment(2, 70, 80, "  ", "SLIDE TEXT", null, [], null),
        ]));

        Assert.Equal("All hands\n\n[00:00] welcome everyone\n[01:05] revenue grew twelve percent\n", text);
    }

    [Fact]
    public void A_video_without_speech_says_so_instead_of_an_empty_file()
    {
        Assert.Equal("Silent\n\nNo speech was transcribed in this video.\n", TranscriptText.Write("Silent", []));
    }

    [Theory]
    [InlineData("Q3: review?", "Q3_ review_.txt")]
    [InlineData("  ", "transcript.txt")]
    public void The_file_name_comes_from_the_title_without_characters_file_systems_refuse(string title, string expected)
    {
        Assert.Equal(expected, TranscriptText.FileName(title));
    }
}
