using Microsoft.Extensions.AI;

namespace Veeky.Videos;

/// <summary>One moment of a video: the span between two scene cuts, with what was said and shown in it.</summary>
public sealed class Segment
{
    public Guid VideoId { get; set; }
    public int Index { get; set; }
    public double Start { get; set; }
    public double End { get; set; }
    public string? Transcript { get; set; }
    public string? OcrText { get; set; }
    public string? Caption { get; set; }
    public List<string> Keywords { get; set; } = [];
    /// <summary>Keyframe JPEG relative to the media root, or null before keyframes are extracted.</summary>
    public string? KeyframePath { get; set; }
    /// <summary>Time of the keyframe inside the video, in seconds.</summary>
    public double? KeyframeTime { get; set; }
    /// <summary>Embedding of the segment's text, kept so a search index rebuild restores semantic search without
    /// calling the model again; never part of an API answer.</summary>
    public float[]? TextEmbedding { get; set; }
    /// <summary>The model that produced <see cref="TextEmbedding"/>: a vector of another model is not comparable.</summary>
    public string? TextEmbeddingModel { get; set; }
    /// <summary>Embedding of the keyframe by the category's image model, for the image leg of search.</summary>
    public float[]? ImageEmbedding { get; set; }
    /// <summary>The image model that produced <see cref="ImageEmbedding"/>.</summary>
    public string? ImageEmbeddingModel { get; set; }
}

/// <summary>Which model produced a segment's text embedding: the same rule for the indexer that stores the vectors and
/// for a rebuild that decides whether they still match the model queries are embedded with.</summary>
public static class SegmentEmbeddingModels
{
    /// <summary>The admin's embedding model setting when given, else the connection's default model (null when unknown).</summary>
    public static string? TextModel(IEmbeddingGenerator<string, Embedding<float>> generator, string? settingModel) =>
        string.IsNullOrWhiteSpace(settingModel) ? generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId : settingModel;
}
