namespace Veeky.Web.Components.Pages.Admin;

/// <summary>What the prompt form posts.</summary>
public sealed class PromptForm
{
    public string? Template { get; set; }
    public string? Description { get; set; }
}
