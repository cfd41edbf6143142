using Microsoft.Extensions.Logging.Abstractions;
using Veeky.Processes;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Speech.Conformance;

/// <summary>What Veeky relies on from any <see cref="ITranscriber"/>, on a spoken sentence made with festival; run
/// against the fake server always and against a real Whisper server when one is configured.</summary>
public abstract class TranscriberConformanceTests : IDisposable
{
    private readonly TempFolder _folder = new("veeky-transcriber-conformance");

    protected static ProcessRunner Processes { get; } = new(NullLogger<ProcessRunner>.Instance);

    protected abstract Task<ITranscriber> CreateTranscriberAsync();

    public void Dispose() => _folder.Dispose();

    /// <summary>"The quick brown fox jumps over the lazy dog." as 16 kHz mono WAV; returns its path and length.</summary>
    private async Task<(string Path, double Seconds)> SpeechAsync()
    {
        Requires.Tools("text2wave", "ffmpeg");
        var text = _folder.File("sentence.txt");
        await File.WriteAllTextAsync(text, "The quick brown fox jumps over the lazy dog.");
        var voice = _folder.File("voice.wav");
        await Processes.RunAsync("text2wave", [text, "-o", voice, "-eval", "(voice_cmu_us_slt_arctic_hts)"], TimeSpan.FromMinutes(1), CancellationToken.None);
        var wav = _folder.File("speech.wav");
        await Processes.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", voice, "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav],
            TimeSpan.FromMinutes(1), CancellationToken.None);
        return (wav, (new FileInfo(wav).Length - 44) / 32000.0);
    }

    [Fact]
    public async Task Speech_becomes_timed_words_in_order_within_the_audio()
    {
        var (wav, seconds) = await SpeechAsync();
        var transcriber = await CreateTranscriberAsync();
        var progress = new List<double>();

        var words = await transcriber.TranscribeAsync(wav, new ListProgress(progress), CancellationToken.None);

        Assert.NotEmpty(words);
        Assert.All(words, w => Assert.False(string.IsNullOrWhiteSpace(w.Text)));
        Assert.All(words, w => Assert.True(w.Start >= 0 && w.Start <= w.End && w.End <= seconds + 1, $"{w} lies outside 0..{seconds} s"));
        Assert.Equal(words.OrderBy(w => w.Start).ToList(), words);
        Assert.Equal(1.0, progress[^1]);
    }

    [Fact]
    public async Task A_cancelled_transcription_ends_as_cancelled()
    {
        var (wav, _) = await SpeechAsync();
        var transcriber = await CreateTranscriberAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transcriber.TranscribeAsync(wav, null, cancel.Token));
    }

    private sealed class ListProgress(List<double> values) : IProgress<double>
    {
        public void Report(double value) => values.Add(value);
    }
}
