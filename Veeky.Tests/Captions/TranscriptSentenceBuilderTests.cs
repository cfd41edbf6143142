using Veeky.Captions;
using Veeky.Contracts;
using Veeky.Speech;

namespace Veeky.Tests.Captions;

public sealed class TranscriptSentenceBuilderTests
{
    [Fact]
    public void Whisper_phrases_are_cut_at_sentence_ends_each_sentence_starting_when_its_first_word_is_said()
    {
        // Two phrases as Whisper gives them; the second sentence starts inside the first phrase and ends in the next.
        IReadOnlyList<TranscriptWord> phrases =
        [
            new("Revenue grew. The north", 10, 12.2),
            new("region led it! Next question?", 12.2, 15),
        ];

        var sentences = TranscriptSentenceBuilder.Build(phrases);

        Assert.Equal(["Revenue grew.", "The north region led it!", "Next question?"], sentences.Select(s => s.Text));
        Assert.Equal(10, sentences[0].Start);
        // Times inside a phrase are shared out by letters: "The" starts after "Revenue grew." (13 of 20 letters).
        Assert.InRange(sentences[1].Start, 11.3, 11.5);
        Assert.InRange(sentences[1].End, 13.3, 13.8);
        Assert.Equal(15, sentences[2].End, 6);
    }

    [Fact]
    public void Common_abbreviations_and_decimal_numbers_do_not_end_a_sentence()
    {
        IReadOnlyList<TranscriptWord> phrases =
        [
            new("Mr. and Mrs. Smith met Ms. Jones and Dr. Patel on St. Mark's square.", 0, 6),
            new("Bring fruit, e.g. apples, i.e. something sweet, bread etc. and water.", 6, 12),
            new("The U.S. team grew 3.5 percent. Sales doubled etc. Then we rested.", 12, 18),
        ];

        var sentences = TranscriptSentenceBuilder.Build(phrases);

        Assert.Equal([
            "Mr. and Mrs. Smith met Ms. Jones and Dr. Patel on St. Mark's square.",
            "Bring fruit, e.g. apples, i.e. something sweet, bread etc. and water.",
            "The U.S. team grew 3.5 percent.",
            "Sales doubled etc.",
            "Then we rested.",
        ], sentences.Select(s => s.Text));
    }

    [Fact]
    public void A_pause_while_speaking_punctuated_text_does_not_cut_a_sentence()
    {
        IReadOnlyList<TranscriptWord> words =
        [
            new("We", 0, 0.2), new("will", 0.3, 0.5), new("ship", 3.0, 3.3), new("in", 3.4, 3.5), new("May.", 3.6, 4.0),
        ];

        var sentences = TranscriptSentenceBuilder.Build(words);

        Assert.Equal(new TranscriptSentence(0, 4.0, "We will ship in May."), Assert.Single(sentences));
    }

    [Fact]
    public void Speech_without_punctuation_is_cut_at_pauses()
    {
        // pocketsphinx writes no punctuation: the silence between two sentences is the only sign of their end.
        IReadOnlyList<TranscriptWord> words =
        [
            new("the", 1.0, 1.2), new("purple", 1.2, 1.6), new("elephant", 1.6, 2.1),
            new("sales", 3.0, 3.4), new("went", 3.45, 3.7), new("up", 3.7, 3.9),
        ];

        var sentences = TranscriptSentenceBuilder.Build(words);

        Assert.Equal([new TranscriptSentence(1.0, 2.1, "the purple elephant"), new TranscriptSentence(3.0, 3.9, "sales went up")], sentences);
    }

    [Fact]
    public void Talk_with_no_end_in_sight_is_cut_into_readable_lines()
    {
        var words = Enumerable.Range(0, 300).Select(i => new TranscriptWord($"w{i}", i * 0.3, i * 0.3 + 0.28)).ToList();

        var sentences = TranscriptSentenceBuilder.Build(words);

        Assert.True(sentences.Count >= 3);
        Assert.All(sentences, s => Assert.True(s.End - s.Start <= TranscriptSentenceBuilder.MaxSentenceSeconds));
        // Every word once, in order.
        Assert.Equal(words.Select(w => w.Text), sentences.SelectMany(s => s.Text.Split(' ')));
    }

    [Fact]
    public void No_speech_is_no_sentences_and_a_closing_quote_still_ends_one()
    {
        Assert.Empty(TranscriptSentenceBuilder.Build([]));
        var sentences = TranscriptSentenceBuilder.Build([new("He said \"no.\" Then", 0, 2), new("left.", 2, 2.5)]);
        Assert.Equal(["He said \"no.\"", "Then left."], sentences.Select(s => s.Text));
    }
}
