namespace Veeky.AI;

/// <summary>Which model-backed capabilities this host has, and where their servers are; null means not configured.
/// /health shows it, and the pipeline and API use it to skip what is not there.</summary>
public sealed record AICapabilities(
    ModelConnection? Chat,
    ModelConnection? Vision,
    ModelConnection? Embeddings,
    ModelConnection? ImageEmbeddings,
    ModelConnection? Whisper)
{
    public bool HasChat => Chat is not null;
    public bool HasCaptions => Vision is not null;
    public bool HasEmbeddings => Embeddings is not null;
    public bool HasImageEmbeddings => ImageEmbeddings is not null;
    public bool HasWhisper => Whisper is not null;
}
