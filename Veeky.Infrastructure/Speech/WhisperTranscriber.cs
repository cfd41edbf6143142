using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Veeky.AI;
using Veeky.Processes;

namespace Veeky.Speech;

/// <summary>
/// Speech to text through an OpenAI-compatible <c>POST /v1/audio/transcriptions</c> (whisper.cpp server,
/// faster-whisper servers, LocalAI) with word timestamps. Long audio is cut into overlapping pieces with ffmpeg and
/// the pieces' words stitched back on one timeline, each word once.
/// </summary>
public sealed class WhisperTranscriber : ITranscriber
{
    private const string Provider = "openai";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ModelConnection _connection;
    private readonly WhisperTranscriberOptions _options;
    private readonly ProcessRunner _processes;
    private readonly ILogger<WhisperTranscriber> _logger;
    private readonly ModelRequestSender _sender;
    private readonly Uri _transcriptionsUri;

    public WhisperTranscriber(HttpClient http, ModelConnection connection, WhisperTranscriberOptions options,
        ProcessRunner processes, ILogger<WhisperTranscriber> logger)
    {
        _connection = connection;
        _options = options;
        _processes = processes;
        _logger = logger;
        _sender = new ModelRequestSender(http, connection, options, isOllama: false, logger);
        _transcriptionsUri = connection.ResolveOpenAI("audio/transcriptions");
    }

    public string Name => "whisper";

    private string Model => _connection.Model ?? _options.DefaultModel;

    public Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, IProgress<double>? progress, CancellationToken ct) =>
        TranscribeAsync(wavPath, null, progress, ct);

    /// <param name="language">The LLM settings' transcription language; null falls back to
    /// <see cref="WhisperTranscriberOptions.Language"/>, and without that the server detects it.</param>
    public async Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, string? language, IProgress<double>? progress, CancellationToken ct)
    {
        language = string.IsNullOrWhiteSpace(language) ? _options.Language : language.Trim();
        var chunks = AudioChunk.Plan(WavFile.ReadDuration(wavPath), _options.ChunkLength.TotalSeconds, _options.ChunkOverlap.TotalSeconds);
        if (chunks.Count == 1)
        {
            var words = await TranscribeFileAsync(wavPath, language, ct);
            progress?.Report(1);
            return words;
        }

        _logger.LogInformation("Transcribing {File} in {Chunks} pieces", wavPath, chunks.Count);
        var folder = Path.Combine(Path.GetTempPath(), $"veeky-whisper-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var stitched = new List<TranscriptWord>();
            for (var i = 0; i < chunks.Count; i++)
            {
                var chunk = chunks[i];
                var piece = Path.Combine(folder, $"{i:D4}.wav");
                await CutAsync(wavPath, chunk, piece, ct);
                foreach (var word in await TranscribeFileAsync(piece, language, ct))
                {
                    var absolute = word with { Start = word.Start + chunk.Start, End = word.End + chunk.Start };
                    if (absolute.Start >= chunk.KeepFrom && absolute.Start < chunk.KeepUntil)
                    {
                        stitched.Add(absolute);
                    }
                }
                File.Delete(piece);
                progress?.Report((i + 1) / (double)chunks.Count);
            }
            return stitched;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private Task CutAsync(string source, AudioChunk chunk, string target, CancellationToken ct) =>
        _processes.RunAsync("ffmpeg",
        [
            "-nostdin", "-v", "error", "-y",
            "-ss", chunk.Start.ToString("0.###", CultureInfo.InvariantCulture),
            "-t", chunk.Length.ToString("0.###", CultureInfo.InvariantCulture),
            "-i", source,
            "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", target,
        ], TimeSpan.FromMinutes(2), ct);

    private async Task<IReadOnlyList<TranscriptWord>> TranscribeFileAsync(string path, string? language, CancellationToken ct)
    {
        var audio = await File.ReadAllBytesAsync(path, ct);
        var model = Model;
        using var activity = GenAITelemetry.Start("transcription", Provider, model, _connection.Endpoint);
        try
        {
            using var response = await _sender.SendAsync(() => CreateRequest(audio, Path.GetFileName(path), model, language), model,
                HttpCompletionOption.ResponseContentRead, ct);
            var answer = await response.Content.ReadFromJsonAsync<VerboseTranscription>(Json, ct)
                ?? throw new ModelServerException($"The transcription server at {_connection.Endpoint} sent an empty answer.");
            GenAITelemetry.Succeeded(activity, model, null, null);
            return ToWords(answer);
        }
        catch (Exception ex)
        {
            GenAITelemetry.Failed(activity, ex);
            throw;
        }
    }

    private HttpRequestMessage CreateRequest(byte[] audio, string fileName, string model, string? language)
    {
        var file = new ByteArrayContent(audio);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        var form = new MultipartFormDataContent
        {
            { file, "file", fileName },
            { new StringContent(model), "model" },
            { new StringContent("verbose_json"), "response_format" },
            { new StringContent("word"), "timestamp_granularities[]" },
            { new StringContent("segment"), "timestamp_granularities[]" },
        };
        if (!string.IsNullOrWhiteSpace(language))
        {
            form.Add(new StringContent(language), "language");
        }
        return new HttpRequestMessage(HttpMethod.Post, _transcriptionsUri) { Content = form };
    }

    /// <summary>Words when the server gives them; otherwise its segments, as timed phrases.</summary>
    private static IReadOnlyList<TranscriptWord> ToWords(VerboseTranscription answer)
    {
        if (answer.Words is { Count: > 0 } words)
        {
            return words
                .Where(w => !string.IsNullOrWhiteSpace(w.Word))
                .Select(w => new TranscriptWord(w.Word!.Trim(), w.Start, w.End))
                .ToList();
        }
        return (answer.Segments ?? [])
            .Where(s => !string.IsNullOrWhiteSpace(s.Text))
            .Select(s => new TranscriptWord(s.Text!.Trim(), s.Start, s.End))
            .ToList();
    }

    private sealed record VerboseTranscription(string? Text, string? Language, double? Duration,
        IReadOnlyList<TimedWord>? Words, IReadOnlyList<TimedSegment>? Segments);

    private sealed record TimedWord(string? Word, double Start, double End);

    private sealed record TimedSegment(string? Text, double Start, double End);
}
