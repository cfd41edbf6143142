using System.ComponentModel.DataAnnotations;

namespace Veeky.Indexer.Speech;

/// <summary>How speech is recognised (<c>Veeky:Indexer:Transcription</c>).</summary>
public sealed record TranscriptionOptions
{
    public const string Section = "Veeky:Indexer:Transcription";

    /// <summary>The pocketsphinx 0.8 executable; without it (and without a Whisper endpoint) Transcribe is skipped.</summary>
    [Required]
    public string PocketSphinxPath { get; set; } = "pocketsphinx_continuous";

    /// <summary>Recognisers run at once on parts of the audio split at pauses. pocketsphinx uses one core, and on the
    /// reference machine (two cores) the video path needs the other only part of the time.</summary>
    [Range(1, 16)]
    public int Parallelism { get; set; } = 2;

    /// <summary>Audio shorter than twice this (seconds) is recognised in one piece: starting a recogniser costs about
    /// a second of model loading, which short clips do not win back.</summary>
    [Range(1, 3600)]
    public double MinChunkSeconds { get; set; } = 60;

    /// <summary>Runs the recognisers at lower CPU priority (nice 10). Audio and video paths run side by side and
    /// both want every core; yielding lets the video path (scenes, keyframes, OCR) finish at nearly decode speed,
    /// and recognition then takes all the cores, so the whole job takes no longer.</summary>
    public bool LowerPriority { get; set; } = true;
}
