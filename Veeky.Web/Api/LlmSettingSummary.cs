namespace Veeky.Web.Api;

/// <summary>The model of one purpose as <c>/api/configs/llm-settings</c> shows it.</summary>
public sealed record LlmSettingSummary(string Purpose, string Model, double Temperature, int MaxTokens, string? Endpoint, string? Language = null);
