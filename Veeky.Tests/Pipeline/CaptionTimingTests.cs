using Veeky.Captions;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Pipeline;

/// <summary>Captions of the generated sample, whose two sentences are spoken at known times with silence between them.</summary>
[Collection(IndexedSampleCollection.Name)]
public sealed class CaptionTimingTests(IndexedSampleFixture sample)
{
    [Fact]
    public async Task Each_spoken_sentence_gets_cues_that_start_when_it_is_said_and_none_spans_the_silence_between()
    {
        Requires.Tools([.. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);
        var video = await sample.GetVideoAsync();
        var first = SampleVideos.Scenes.Speech[0];
        var second = SampleVideos.Scenes.Speech[1];

        var cues = CaptionCueBuilder.Build(TranscriptJson.Deserialize(video.TranscriptJson));

        var elephant = Assert.Single(cues, c => string.Join(' ', c.Lines).Contains("elephant"));
        var trumpets = Assert.Single(cues, c => string.Join(' ', c.Lines).Contains("trumpets"));
        // Recognition marks a word when its sound starts: within a second of the sentence, never before it.
        Assert.InRange(cues.First().Start, first.Start - 0.2, first.Start + 1.0);
        Assert.InRange(elephant.Start, first.Start - 0.2, first.Start + 2.5);
        Assert.InRange(trumpets.End, second.Start, second.Start + 4.0);
        Assert.True(elephant.End <= second.Start, "a cue of the first sentence runs into the second one's time");
        Assert.DoesNotContain(cues, c => c.Start < second.Start - 0.2 && c.End > second.Start + 0.5);
        Assert.All(cues, c => Assert.True(c.End - c.Start <= CaptionCueBuilder.MaxCueSeconds));
    }
}
