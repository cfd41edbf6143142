using Veeky.Speech;

namespace Veeky.Tests.Speech;

/// <summary>How long audio is planned into overlapping pieces and where each piece's words are kept.</summary>
public sealed class AudioChunkTests
{
    [Fact]
    public void Short_or_unknown_length_audio_is_one_piece()
    {
        Assert.Single(AudioChunk.Plan(300, 600, 5));
        Assert.Single(AudioChunk.Plan(null, 600, 5));
    }

    [Fact]
    public void Pieces_overlap_and_their_keep_ranges_meet_in_the_middle_of_each_overlap()
    {
        var chunks = AudioChunk.Plan(25, 10, 2);

        Assert.Equal([0.0, 8.0, 16.0], chunks.Select(c => c.Start));
        Assert.Equal([10.0, 10.0, 9.0], chunks.Select(c => c.Length));
        Assert.Equal([0.0, 9.0, 17.0], chunks.Select(c => c.KeepFrom));
        Assert.Equal([9.0, 17.0, double.PositiveInfinity], chunks.Select(c => c.KeepUntil));
    }

    [Fact]
    public void An_hour_in_ten_minute_pieces_with_five_seconds_overlap_covers_the_whole_hour()
    {
        var chunks = AudioChunk.Plan(3600, 600, 5);

        Assert.Equal(7, chunks.Count);
        Assert.Equal(3600, chunks[^1].Start + chunks[^1].Length, 6);
        for (var i = 1; i < chunks.Count; i++)
        {
            Assert.Equal(chunks[i - 1].KeepUntil, chunks[i].KeepFrom);
            Assert.True(chunks[i].Start < chunks[i - 1].Start + chunks[i - 1].Length, "pieces must overlap");
        }
    }
}
