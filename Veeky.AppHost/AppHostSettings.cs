using System.ComponentModel.DataAnnotations;

namespace Veeky.AppHost;

/// <summary>
/// How the AppHost shapes Veeky, under <c>Veeky:AppHost</c> (appsettings.json, user secrets, the launch profile's
/// environment or <c>--Veeky:AppHost:…</c> on the command line). These decide the shape of the model before it is
/// built, which is why they are configuration and not Aspire parameters (a parameter's value is only known once the
/// app runs).
/// </summary>
public sealed class AppHostSettings
{
    public const string Section = "Veeky:AppHost";

    /// <summary><see cref="AppHostEdition.Distributed"/> (the launch profile <c>distributed</c>, first, so the
    /// default) or <see cref="AppHostEdition.Embedded"/> (the launch profile <c>embedded</c>: no containers).</summary>
    public AppHostEdition Edition { get; set; } = AppHostEdition.Distributed;

    /// <summary>Indexer processes sharing the job table. Two show that claiming a job is safe between replicas
    /// without doubling the memory a small machine needs for ffmpeg and OCR.</summary>
    [Range(1, 64)]
    public int IndexerReplicas { get; set; } = 2;

    /// <summary>Keep Postgres, OpenSearch, Ollama and Whisper data in named volumes between runs. On by default so
    /// models are downloaded once; tests turn it off so every run starts empty.</summary>
    public bool DataVolumes { get; set; } = true;

    /// <summary>Give the Ollama container the GPU (<c>--gpus all</c>). Docker refuses to start the container on a
    /// machine without the NVIDIA container toolkit, so turn this off there.</summary>
    public bool Gpu { get; set; } = true;

    /// <summary>Chat model for summaries, keywords and /api/ask. llama3.2 (3B) answers well and fits in 4 GB.</summary>
    [Required]
    public string ChatModel { get; set; } = "llama3.2";

    /// <summary>Vision model for keyframe captions. llava (7B) is the most widely available Ollama vision model.</summary>
    [Required]
    public string VisionModel { get; set; } = "llava";

    /// <summary>Text embedding model. all-minilm gives 384-dimensional vectors: small, fast on a CPU, good enough
    /// for hybrid search where BM25 carries exact words.</summary>
    [Required]
    public string EmbeddingModel { get; set; } = "all-minilm";

    /// <summary>faster-whisper model served by speaches; the small English model transcribes well on a CPU.</summary>
    [Required]
    public string WhisperModel { get; set; } = "Systran/faster-distil-whisper-small.en";

    /// <summary>OpenSearch's JVM heap. 1 GB is OpenSearch's own development default; production wants half the
    /// container's memory, up to 31 GB.</summary>
    [Required]
    public string OpenSearchHeap { get; set; } = "1g";

    /// <summary>Folder the Api and the indexers share for uploads and keyframes when run locally; defaults to
    /// <c>.veeky/media</c> beside this project.</summary>
    public string? MediaDirectory { get; set; }

    /// <summary>The embedded edition's data folder (database, search index, media); defaults to
    /// <c>.veeky/embedded</c> beside this project.</summary>
    public string? EmbeddedDataDirectory { get; set; }

    /// <summary>Port of the web UI: 5080, where the embedded edition's own <c>scripts/run.sh</c> serves it too.</summary>
    [Range(1, 65535)]
    public int WebPort { get; set; } = 5080;

    /// <summary>Reads and validates the section; a bad value stops the AppHost with one sentence naming it.</summary>
    public static AppHostSettings From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var settings = new AppHostSettings();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(configuration.GetSection(Section), settings);
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), errors, validateAllProperties: true))
        {
            throw new InvalidOperationException(
                $"{Section} is invalid: {string.Join(" ", errors.Select(e => $"{string.Join(", ", e.MemberNames)}: {e.ErrorMessage}"))}");
        }
        return settings;
    }
}

/// <summary>The two shapes the AppHost runs.</summary>
public enum AppHostEdition
{
    /// <summary>PostgreSQL, OpenSearch, Redis, Ollama and Whisper containers, the API, indexer replicas and the web UI.</summary>
    Distributed,

    /// <summary>The all-in-one <c>Veeky.Web</c> host alone (SQLite, in-process search and events): no container engine.</summary>
    Embedded,
}
