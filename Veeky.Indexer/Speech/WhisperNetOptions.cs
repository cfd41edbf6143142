using System.ComponentModel.DataAnnotations;
using Whisper.net.Ggml;

namespace Veeky.Indexer.Speech;

/// <summary>In-process Whisper (<c>Veeky:Indexer:WhisperNet</c>): set <see cref="ModelPath"/> to a ggml model file and
/// speech is recognised by whisper.cpp on the CPU instead of pocketsphinx.</summary>
public sealed record WhisperNetOptions : IValidatableObject
{
    public const string Section = "Veeky:Indexer:WhisperNet";

    /// <summary>Whisper.net's own source of ggml models; a mirror with the same layout may replace it.</summary>
    public static readonly Uri HuggingFaceSource = new("https://huggingface.co/sandrohanea/whisper.net/resolve/");

    /// <summary>The ggml model file (e.g. <c>ggml-base.bin</c>). Unset: no in-process Whisper.</summary>
    public string? ModelPath { get; set; }

    /// <summary>ISO 639-1 language of the speech, or <c>auto</c> to detect it per video. An admin's transcription
    /// language in the LLM settings overrides it per job.</summary>
    public string Language { get; set; } = "auto";

    /// <summary>CPU threads for one transcription. whisper.cpp scales to about the core count; the video path runs
    /// beside it, so the default takes all cores and the OS shares them.</summary>
    [Range(1, 64)]
    public int Threads { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 64);

    /// <summary>Which model Whisper.net's downloader fetches into <see cref="ModelPath"/> when the file is missing
    /// (<c>Base</c>, <c>SmallEn</c>, ...). Unset: a missing file stops the host.</summary>
    public GgmlType? DownloadModel { get; set; }

    /// <summary>Where the downloader fetches from: Whisper.net's Hugging Face repository, or a mirror with its layout.</summary>
    public Uri DownloadSource { get; set; } = HuggingFaceSource;

    public bool IsEnabled => !string.IsNullOrWhiteSpace(ModelPath);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }
        if (!File.Exists(ModelPath) && DownloadModel is null)
        {
            yield return new ValidationResult(
                $"{Section}:ModelPath names {ModelPath}, which does not exist; put a ggml model there or set {Section}:DownloadModel to fetch one.",
                [nameof(ModelPath)]);
        }
        if (!IsKnownLanguage(Language))
        {
            yield return new ValidationResult(
                $"{Section}:Language is '{Language}'; use 'auto' or a language code Whisper knows (en, de, fr, ...).", [nameof(Language)]);
        }
        if (!DownloadSource.IsAbsoluteUri || DownloadSource.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"{Section}:DownloadSource must be an absolute http(s) URL.", [nameof(DownloadSource)]);
        }
    }

    /// <summary><c>auto</c> or one of the languages whisper.cpp lists (this loads the native runtime: a model is set).</summary>
    public static bool IsKnownLanguage(string? language) =>
        string.Equals(language, "auto", StringComparison.OrdinalIgnoreCase)
        || (!string.IsNullOrWhiteSpace(language)
            && Whisper.net.WhisperFactory.GetSupportedLanguages().Contains(language.Trim(), StringComparer.OrdinalIgnoreCase));
}
