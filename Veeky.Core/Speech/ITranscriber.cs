namespace Veeky.Speech;

/// <summary>Speech to text with timestamps.</summary>
public interface ITranscriber
{
    /// <summary>Short name shown in /health capabilities (<c>pocketsphinx</c>, <c>whisper</c>).</summary>
    string Name { get; }

    /// <summary>Transcribes a 16 kHz mono WAV file into timed words or phrases.</summary>
    Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, IProgress<double>? progress, CancellationToken ct);

    /// <summary>As <see cref="TranscribeAsync(string, IProgress{double}?, CancellationToken)"/> in a known language
    /// (ISO 639-1, <c>en</c>); null lets the recogniser detect it. Recognisers with one fixed language model
    /// (pocketsphinx) ignore it.</summary>
    Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, string? language, IProgress<double>? progress, CancellationToken ct) =>
        TranscribeAsync(wavPath, progress, ct);
}

/// <summary>A recognised word (or short phrase) with its time in the audio, in seconds.</summary>
public sealed record TranscriptWord(string Text, double Start, double End);
