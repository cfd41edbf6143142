namespace Veeky.Videos;

/// <summary>A group of videos; users see only the categories assigned to them.</summary>
public sealed class Category
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Image embedding model used for this category's keyframes, if any.</summary>
    public string? ImageEmbeddingModel { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
