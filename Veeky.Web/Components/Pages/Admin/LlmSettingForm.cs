namespace Veeky.Web.Components.Pages.Admin;

/// <summary>What the LLM setting form posts.</summary>
public sealed class LlmSettingForm
{
    public string? Model { get; set; }
    public double? Temperature { get; set; }
    public int? MaxTokens { get; set; }
    public string? Endpoint { get; set; }
    public string? Language { get; set; }
}
