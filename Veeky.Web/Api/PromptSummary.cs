namespace Veeky.Web.Api;

/// <summary>A prompt template as <c>/api/configs/prompts</c> shows it.</summary>
public sealed record PromptSummary(string Name, string Template, string? Description);
