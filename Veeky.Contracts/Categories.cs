namespace Veeky.Contracts;

/// <summary>Body of <c>POST</c> and <c>PUT /api/categories</c>.</summary>
public sealed record CategoryRequest(string? Name, string? ImageEmbeddingModel);

/// <summary>A category as <c>/api/categories</c> shows it.</summary>
public sealed record CategorySummary(Guid Id, string Name, string? ImageEmbeddingModel);
