namespace Veeky.Speech;

/// <summary>Speech to text with timestamps.</summary>
public interface ITranscriber
{
    /// <summary>Short name shown in /health capabilities (<c>pocketsphinx</c>, <c>whisper</c>).</summary>
    string Name { get; }

    /// <summary>Transcribes a 16 kHz mono WAV file into timed words or phrases.</summary>
    Task<IReadOnlyList<TranscriptWord>> TranscribeAsync(string wavPath, IProgress<double>? progress, CancellationToken ct);
}

/// <summary>A recognised word (or short phrase) with its time in the audio, in seconds.</summary>
public sealed record TranscriptWord(string Text, double Start, double End);
