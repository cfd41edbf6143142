namespace Veeky.Web.Api;

/// <summary>Body of <c>PUT /api/configs/prompts/{name}</c>.</summary>
public sealed record PromptRequest(string Template, string? Description);
