namespace Veeky.Web.Components.Pages.Admin;

/// <summary>What the category forms post.</summary>
public sealed class CategoryForm
{
    public string Name { get; set; } = "";
    public string? ImageEmbeddingModel { get; set; }
}
