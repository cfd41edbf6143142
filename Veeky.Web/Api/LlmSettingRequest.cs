namespace Veeky.Web.Api;

/// <summary>Body of <c>PUT /api/configs/llm-settings/{purpose}</c>.</summary>
public sealed record LlmSettingRequest(string Model, double? Temperature, int? MaxTokens, string? Endpoint, string? Language = null);
