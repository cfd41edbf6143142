using System.ComponentModel.DataAnnotations;
using Veeky.AI;

namespace Veeky.Speech;

/// <summary>Settings of <see cref="WhisperTranscriber"/> (section <c>Veeky:AI:Whisper</c>).</summary>
/// <remarks>Timeout 10 min: a CPU whisper server transcribes a 10-minute chunk in a few minutes with small models.</remarks>
public sealed class WhisperTranscriberOptions() : ModelCallOptions(TimeSpan.FromMinutes(10))
{
    public const string Section = "Veeky:AI:Whisper";

    /// <summary>Audio longer than this is sent in pieces of this length. 10 minutes keeps one upload near 19 MB
    /// (16 kHz mono PCM), under the 25 MB servers commonly accept, and one call well inside the timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "02:00:00")]
    public TimeSpan ChunkLength { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How much neighbouring pieces share, so a word cut at a boundary is heard whole in one of them.
    /// 5 s covers the longest words and a little context for the model.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ChunkOverlap { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>ISO-639-1 language of the speech (<c>en</c>); null lets the server detect it.</summary>
    public string? Language { get; set; }

    /// <summary>Model name sent when the connection string has none; whisper.cpp ignores it, OpenAI-style servers need one.</summary>
    public string DefaultModel { get; set; } = "whisper-1";
}
