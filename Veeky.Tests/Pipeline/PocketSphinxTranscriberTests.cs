using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veeky.Indexer.Speech;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Pipeline;

public sealed class PocketSphinxTranscriberTests
{
    [Fact]
    public async Task Audio_split_at_a_pause_and_recognised_in_parallel_keeps_the_words_at_their_true_times()
    {
        Requires.Tools([.. SampleVideoGenerator.Tools, "pocketsphinx_continuous"]);
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempFolder();
        var runner = new ProcessRunner(NullLogger<ProcessRunner>.Instance);
        var wav = folder.File("audio.wav");
        await runner.RunAsync("ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-i", await SampleVideos.ScenesPathAsync(), "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav],
            TimeSpan.FromMinutes(1), ct);
        // Parts of at least 5 s: the 15 s sample is split in two, in the pause between its two sentences.
        var transcriber = new PocketSphinxTranscriber(runner,
            Options.Create(new TranscriptionOptions { MinChunkSeconds = 5, Parallelism = 2 }));

        var words = await transcriber.TranscribeAsync(wav, null, ct);

        var elephant = Assert.Single(words, w => w.Text == "elephant");
        Assert.InRange(elephant.Start, 4.0, 6.0); // spoken from 3.9 s, third word
        var seven = Assert.Single(words, w => w.Text == "seven");
        Assert.InRange(seven.Start, 11.2, 12.0); // the second sentence's first word, spoken from 11.2 s
        Assert.Equal(words.OrderBy(w => w.Start), words);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.part*.wav"));
    }
}
