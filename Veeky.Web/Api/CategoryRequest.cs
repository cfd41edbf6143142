namespace Veeky.Web.Api;

/// <summary>Body of <c>POST</c> and <c>PUT /api/categories</c>.</summary>
public sealed record CategoryRequest(string Name, string? ImageEmbeddingModel);
