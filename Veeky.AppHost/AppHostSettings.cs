namespace Veeky.AppHost;

/// <summary>
/// How the AppHost shapes the distributed edition, under <c>Veeky:AppHost</c> (appsettings.json, user secrets or
/// <c>--Veeky:AppHost:…</c> on the command line). These decide the shape of the model before it is built, which is
/// why they are configuration and not Aspire parameters (a parameter's value is only known once the app runs).
/// </summary>
public sealed class AppHostSettings
{
    public const string Section = "Veeky:AppHost";

    /// <summary>Indexer processes sharing the job table. Two show that claiming a job is safe between replicas
    /// without doubling the memory a small machine needs for ffmpeg and OCR.</summary>
    public int IndexerReplicas { get; set; } = 2;

    /// <summary>Keep Postgres, OpenSearch, Ollama and Whisper data in named volumes between runs. On by default so
    /// models are downloaded once; tests turn it off so every run starts empty.</summary>
    public bool DataVolumes { get; set; } = true;

    /// <summary>Give the Ollama container the GPU (<c>--gpus all</c>). Docker refuses to start the container on a
    /// machine without the NVIDIA container toolkit, so turn this off there.</summary>
    public bool Gpu { get; set; } = true;

    /// <summary>Chat model for summaries, keywords and /api/ask. llama3.2 (3B) answers well and fits in 4 GB.</summary>
    public string ChatModel { get; set; } = "llama3.2";

    /// <summary>Vision model for keyframe captions. llava (7B) is the most widely available Ollama vision model.</summary>
    public string VisionModel { get; set; } = "llava";

    /// <summary>Text embedding model. all-minilm gives 384-dimensional vectors: small, fast on a CPU, good enough
    /// for hybrid search where BM25 carries exact words.</summary>
    public string EmbeddingModel { get; set; } = "all-minilm";

    /// <summary>faster-whisper model served by speaches; the small English model transcribes well on a CPU.</summary>
    public string WhisperModel { get; set; } = "Systran/faster-distil-whisper-small.en";

    /// <summary>OpenSearch's JVM heap. 1 GB is OpenSearch's own development default; production wants half the
    /// container's memory, up to 31 GB.</summary>
    public string OpenSearchHeap { get; set; } = "1g";

    /// <summary>Folder the Api and the indexers share for uploads and keyframes when run locally; defaults to
    /// <c>.veeky/media</c> beside this project.</summary>
    public string? MediaDirectory { get; set; }
}
