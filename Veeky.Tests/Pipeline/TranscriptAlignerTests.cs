using Veeky.Indexer.Speech;
using Veeky.Speech;

namespace Veeky.Tests.Pipeline;

public sealed class TranscriptAlignerTests
{
    private static readonly IReadOnlyList<(double, double)> Segments = [(0, 3.2), (3.2, 8.2), (8.2, 10)];

    [Fact]
    public void Each_word_goes_to_the_segment_it_is_spoken_in()
    {
        var texts = TranscriptAligner.Assign(
            [new TranscriptWord("hello", 0.5, 0.9), new TranscriptWord("purple", 4.1, 4.7), new TranscriptWord("elephant", 4.7, 5.2)],
            Segments);

        Assert.Equal(["hello", "purple elephant", null], texts);
    }

    [Fact]
    public void A_word_spanning_a_cut_goes_to_the_segment_holding_most_of_it()
    {
        var texts = TranscriptAligner.Assign(
            [new TranscriptWord("early", 2.9, 3.3), new TranscriptWord("late", 8.1, 8.6)],
            Segments);

        Assert.Equal(["early", null, "late"], texts);
    }

    [Fact]
    public void Words_after_the_last_segment_end_go_to_the_last_segment()
    {
        var texts = TranscriptAligner.Assign([new TranscriptWord("tail", 10.1, 10.4)], Segments);

        Assert.Equal([null, null, "tail"], texts);
    }
}
