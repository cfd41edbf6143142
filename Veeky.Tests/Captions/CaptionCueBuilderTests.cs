using Veeky.Captions;
using Veeky.Speech;

namespace Veeky.Tests.Captions;

public sealed class CaptionCueBuilderTests
{
    /// <summary>Steady speech without pauses: one word every 0.3 s.</summary>
    private static IReadOnlyList<TranscriptWord> SteadySpeech(int count, double start = 0, string word = "word") =>
        Enumerable.Range(0, count).Select(i => new TranscriptWord($"{word}{i}", start + i * 0.3, start + i * 0.3 + 0.25)).ToList();

    [Fact]
    public void Cues_hold_at_most_two_lines_of_42_characters_and_last_at_most_7_seconds()
    {
        var words = SteadySpeech(200);

        var cues = CaptionCueBuilder.Build(words);

        Assert.True(cues.Count > 10);
        Assert.All(cues, cue =>
        {
            Assert.InRange(cue.Lines.Count, 1, CaptionCueBuilder.MaxLines);
            Assert.All(cue.Lines, line => Assert.InRange(line.Length, 1, CaptionCueBuilder.MaxLineLength));
            Assert.InRange(cue.End - cue.Start, 0.2, CaptionCueBuilder.MaxCueSeconds);
        });
        // Every word appears once, in order, and cues never overlap.
        Assert.Equal(words.Select(w => w.Text), cues.SelectMany(c => string.Join(' ', c.Lines).Split(' ')));
        Assert.All(cues.Zip(cues.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start));
    }

    [Fact]
    public void Slow_speech_is_cut_at_7_seconds_even_when_the_lines_have_room()
    {
        var words = Enumerable.Range(0, 12).Select(i => new TranscriptWord("so", i * 0.9, i * 0.9 + 0.5)).ToList();

        var cues = CaptionCueBuilder.Build(words);

        Assert.Equal(2, cues.Count);
        Assert.All(cues, cue => Assert.True(cue.End - cue.Start <= CaptionCueBuilder.MaxCueSeconds));
    }

    [Fact]
    public void A_long_pause_ends_the_cue_so_no_caption_hangs_over_silence()
    {
        var words = new List<TranscriptWord>
        {
            new("before", 1.0, 1.4), new("the", 1.5, 1.6), new("pause", 1.7, 2.1),
            new("after", 3.5, 3.9), new("it", 4.0, 4.1),
        };

        var cues = CaptionCueBuilder.Build(words);

        Assert.Equal(2, cues.Count);
        Assert.Equal(["before the pause"], cues[0].Lines);
        Assert.Equal(2.1, cues[0].End, 3);
        Assert.Equal(["after it"], cues[1].Lines);
        Assert.Equal(3.5, cues[1].Start, 3);
    }

    [Fact]
    public void Lines_are_broken_where_they_come_out_most_even()
    {
        var lines = CaptionCueBuilder.BreakLines("the quarterly revenue grew by twelve percent in the third quarter");

        Assert.Equal(["the quarterly revenue grew by", "twelve percent in the third quarter"], lines);
    }

    [Fact]
    public void Phrases_are_split_into_words_with_their_time_shared_out()
    {
        var phrase = new TranscriptWord(
            "This phrase from a Whisper server is far too long to be shown as one caption on a screen at once, so it is cut.",
            10.0, 16.0);

        var cues = CaptionCueBuilder.Build([phrase]);

        Assert.Equal(2, cues.Count);
        Assert.Equal(10.0, cues[0].Start, 3);
        Assert.Equal(16.0, cues[^1].End, 3);
        Assert.True(cues[0].End <= cues[1].Start);
        Assert.All(cues, cue => Assert.All(cue.Lines, line => Assert.True(line.Length <= CaptionCueBuilder.MaxLineLength)));
    }

    [Fact]
    public void A_finished_sentence_closes_a_well_filled_cue()
    {
        var text = "We closed the quarter with a record result. Next year we open two new offices";
        var words = text.Split(' ').Select((w, i) => new TranscriptWord(w, i * 0.3, i * 0.3 + 0.25)).ToList();

        var cues = CaptionCueBuilder.Build(words);

        Assert.Equal("We closed the quarter with a record result.", string.Join(' ', cues[0].Lines));
        Assert.StartsWith("Next year", cues[1].Lines[0]);
    }

    [Fact]
    public void A_short_cue_stays_up_a_second_so_it_can_be_read()
    {
        var cues = CaptionCueBuilder.Build([new("yes", 1.0, 1.2), new("no", 1.5, 1.6), new("maybe", 2.6, 2.7), new("later", 3.0, 3.1)]);

        Assert.Equal(2, cues.Count);
        Assert.Equal(["yes no"], cues[0].Lines);
        Assert.Equal(2.0, cues[0].End, 3);
        Assert.Equal(2.6, cues[1].Start, 3);
        Assert.Equal(3.6, cues[1].End, 3);
    }

    [Fact]
    public void No_words_make_no_cues_and_an_empty_but_valid_file()
    {
        var cues = CaptionCueBuilder.Build([new("  ", 0, 1)]);

        Assert.Empty(cues);
        Assert.Equal("WEBVTT\n", CaptionFormats.ToWebVtt(cues));
        Assert.Equal("", CaptionFormats.ToSubRip(cues));
    }

    [Fact]
    public void WebVtt_numbers_cues_with_dotted_milliseconds_and_escapes_markup()
    {
        CaptionCue[] cues = [new(1.5, 3.25, ["Tom & Jerry <3", "a --> b"]), new(3725.0004, 3726.9996, ["late"])];

        var vtt = CaptionFormats.ToWebVtt(cues);

        Assert.Equal(
            "WEBVTT\n\n1\n00:00:01.500 --> 00:00:03.250\nTom &amp; Jerry &lt;3\na --&gt; b\n\n2\n01:02:05.000 --> 01:02:07.000\nlate\n",
            vtt);
    }

    [Fact]
    public void SubRip_numbers_cues_with_comma_milliseconds_and_CRLF()
    {
        CaptionCue[] cues = [new(0, 2, ["first", "line two"]), new(62.5, 64, ["second"])];

        var srt = CaptionFormats.ToSubRip(cues);

        Assert.Equal("1\r\n00:00:00,000 --> 00:00:02,000\r\nfirst\r\nline two\r\n\r\n2\r\n00:01:02,500 --> 00:01:04,000\r\nsecond\r\n", srt);
    }
}
