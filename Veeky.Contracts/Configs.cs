namespace Veeky.Contracts;

/// <summary>Body of <c>PUT /api/configs/{key}</c>.</summary>
public sealed record ConfigRequest(string? Value);

/// <summary>A key-value setting as <c>/api/configs</c> shows it.</summary>
public sealed record ConfigEntry(string Key, string Value);

/// <summary>Body of <c>PUT /api/configs/prompts/{name}</c>.</summary>
public sealed record PromptRequest(string? Template, string? Description);

/// <summary>A prompt template as <c>/api/configs/prompts</c> shows it.</summary>
public sealed record PromptSummary(string Name, string Template, string? Description);

/// <summary>Body of <c>PUT /api/configs/llm-settings/{purpose}</c>.</summary>
/// <param name="Language">ISO 639-1 code of the speech (transcription purpose); null or empty lets the server detect it.</param>
public sealed record LlmSettingRequest(string? Model, double? Temperature, int? MaxTokens, string? Endpoint, string? Language = null);

/// <summary>The model of one purpose as <c>/api/configs/llm-settings</c> shows it.</summary>
public sealed record LlmSettingSummary(string Purpose, string Model, double Temperature, int MaxTokens, string? Endpoint, string? Language = null);
