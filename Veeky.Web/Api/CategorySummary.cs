namespace Veeky.Web.Api;

/// <summary>A category as <c>/api/categories</c> lists it.</summary>
public sealed record CategorySummary(Guid Id, string Name, string? ImageEmbeddingModel);
