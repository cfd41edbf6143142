using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Veeky.AI;
using Veeky.Processes;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Speech;

/// <summary>Whisper over an OpenAI-compatible /v1/audio/transcriptions, fed tone "words" the fake server can hear.</summary>
public sealed class WhisperTranscriberTests : IAsyncLifetime
{
    private FakeModelServer _server = null!;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly TempFolder _folder = new("veeky-whisper-test");
    private readonly ProcessRunner _processes = new(NullLogger<ProcessRunner>.Instance);

    public async ValueTask InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _folder.Dispose();
        await _server.DisposeAsync();
    }

    private WhisperTranscriber Transcriber(WhisperTranscriberOptions? options = null, string? model = "whisper-1") =>
        new(_http, _server.Connection(model), options ?? new WhisperTranscriberOptions(), _processes, NullLogger<WhisperTranscriber>.Instance);

    /// <summary>Word k is a 0.4 s tone of 200 + 40·k Hz starting at k + 0.3 s, so no second boundary cuts a word.</summary>
    private async Task<string> TonesAsync(int seconds)
    {
        var path = _folder.File($"tones-{seconds}.wav");
        await _processes.RunAsync("ffmpeg",
        [
            "-nostdin", "-v", "error", "-y", "-f", "lavfi",
            "-i", $"aevalsrc='if(between(mod(t,1),0.3,0.7),0.5*sin(2*PI*(200+40*floor(t))*t),0)':s=16000:d={seconds}",
            "-ac", "1", "-c:a", "pcm_s16le", path,
        ], TimeSpan.FromMinutes(1), CancellationToken.None);
        return path;
    }

    [Fact]
    public async Task Words_come_back_with_their_times_and_the_request_asks_for_word_and_segment_timestamps()
    {
        Requires.Tools("ffmpeg");
        var wav = await TonesAsync(3);

        var words = await Transcriber(new WhisperTranscriberOptions { Language = "en" }).TranscribeAsync(wav, null, CancellationToken.None);

        Assert.Equal(["w0", "w1", "w2"], words.Select(w => w.Text));
        Assert.Equal(1.3, words[1].Start, 0.02);
        Assert.Equal(1.7, words[1].End, 0.05);
        var form = Assert.Single(_server.RequestsTo("/v1/audio/transcriptions")).Form;
        Assert.Equal(["whisper-1"], form["model"]);
        Assert.Equal(["verbose_json"], form["response_format"]);
        Assert.Equal(["word", "segment"], form["timestamp_granularities[]"]);
        Assert.Equal(["en"], form["language"]);
        Assert.Equal(["file"], form["file.name.field"]);
    }

    [Fact]
    public async Task Without_a_language_the_server_detects_it_and_the_model_falls_back_to_the_default()
    {
        Requires.Tools("ffmpeg");
        var wav = await TonesAsync(2);

        await Transcriber(model: null).TranscribeAsync(wav, null, CancellationToken.None);

        var form = Assert.Single(_server.RequestsTo("/v1/audio/transcriptions")).Form;
        Assert.False(form.ContainsKey("language"));
        Assert.Equal(["whisper-1"], form["model"]);
    }

    [Fact]
    public async Task The_language_of_the_llm_settings_is_sent_over_the_configured_one_and_each_piece_carries_it()
    {
        Requires.Tools("ffmpeg");
        var wav = await TonesAsync(15);

        await Transcriber(new WhisperTranscriberOptions { Language = "en", ChunkLength = TimeSpan.FromSeconds(10), ChunkOverlap = TimeSpan.FromSeconds(1) })
            .TranscribeAsync(wav, " de ", null, CancellationToken.None);

        var pieces = _server.RequestsTo("/v1/audio/transcriptions");
        Assert.Equal(2, pieces.Count);
        Assert.All(pieces, p => Assert.Equal(["de"], p.Form["language"]));
    }

    [Fact]
    public async Task Without_a_language_in_the_settings_the_configured_one_applies_and_without_either_none_is_sent()
    {
        Requires.Tools("ffmpeg");
        var wav = await TonesAsync(2);

        await Transcriber(new WhisperTranscriberOptions { Language = "fr" }).TranscribeAsync(wav, null, null, CancellationToken.None);
        await Transcriber().TranscribeAsync(wav, "", null, CancellationToken.None);

        var requests = _server.RequestsTo("/v1/audio/transcriptions");
        Assert.Equal(["fr"], requests[0].Form["language"]);
        Assert.False(requests[1].Form.ContainsKey("language"));
    }

    [Fact]
    public async Task Segments_stand_in_for_words_when_the_server_gives_no_word_timestamps()
    {
        Requires.Tools("ffmpeg");
        var wav = await TonesAsync(2);
        _server.Enqueue("/v1/audio/transcriptions", new FakeReply(200, """
            {"task":"transcribe","language":"english","duration":2.0,"text":"Hello there. General Kenobi.",
             "segments":[{"id":0,"seek":0,"start":0.0,"end":0.9,"text":" Hello there.","tokens":[50364],"temperature":0.0,
                          "avg_logprob":-0.2,"compression_ratio":1.1,"no_speech_prob":0.01},
                         {"id":1,"seek":0,"start":1.0,"end":1.9,"text":" General Kenobi.","tokens":[50414],"temperature":0.0,
                          "avg_logprob":-0.2,"compression_ratio":1.1,"no_speech_prob":0.01}]}
            """));

        var words = await Transcriber().TranscribeAsync(wav, null, CancellationToken.None);

        Assert.Equal([new TranscriptWord("Hello there.", 0.0, 0.9), new TranscriptWord("General Kenobi.", 1.0, 1.9)], words);
    }

    [Fact]
    public async Task Long_audio_is_sent_in_overlapping_pieces_and_stitched_with_each_word_once_at_its_true_time()
    {
        Requires.Tools("ffmpeg");
        var wav = await TonesAsync(25);
        var progress = new List<double>();

        var words = await Transcriber(new WhisperTranscriberOptions
        {
            ChunkLength = TimeSpan.FromSeconds(10),
            ChunkOverlap = TimeSpan.FromSeconds(2),
        }).TranscribeAsync(wav, new SynchronousProgress(progress), CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, 25).Select(k => $"w{k}"), words.Select(w => w.Text));
        for (var k = 0; k < 25; k++)
        {
            Assert.True(Math.Abs(words[k].Start - (k + 0.3)) < 0.03, $"w{k} starts at {words[k].Start.ToString(CultureInfo.InvariantCulture)}");
        }
        var pieces = _server.RequestsTo("/v1/audio/transcriptions");
        Assert.Equal([10.0, 10.0, 9.0], pieces.Select(p => Math.Round((p.File!.Length - 44) / 32000.0, 1)));
        Assert.Equal([1 / 3.0, 2 / 3.0, 1.0], progress.Select(p => Math.Round(p, 6)).ToList(), new RoundedComparer());
    }

    [Fact]
    public async Task A_transcription_server_error_is_reported_with_its_message()
    {
        Requires.Tools("ffmpeg");
        var wav = await TonesAsync(1);
        _server.Enqueue("/v1/audio/transcriptions", new FakeReply(400, """{"error":{"message":"Invalid file format.","type":"invalid_request_error"}}"""));

        var error = await Assert.ThrowsAsync<ModelServerException>(() => Transcriber().TranscribeAsync(wav, null, CancellationToken.None));

        Assert.Contains("Invalid file format.", error.Message);
    }

    /// <summary>Records progress on the calling thread; <see cref="Progress{T}"/> would post it later.</summary>
    private sealed class SynchronousProgress(List<double> values) : IProgress<double>
    {
        public void Report(double value) => values.Add(value);
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-6;
        public int GetHashCode(double obj) => 0;
    }
}
