namespace Veeky.Web.Components.Pages;

/// <summary>What the upload page's "Import from a link" form posts.</summary>
public sealed class ImportLinkForm
{
    public string Url { get; set; } = "";
    public string Title { get; set; } = "";
    public Guid? CategoryId { get; set; }
}
