namespace Veeky.Configs;

/// <summary>Which model serves one purpose (see <see cref="LlmPurposes"/>) and how it is called.</summary>
public sealed class LlmSetting
{
    public required string Purpose { get; set; }
    public required string Model { get; set; }
    public double Temperature { get; set; }
    public int MaxTokens { get; set; }
    /// <summary>Overrides the endpoint of the purpose's connection string when set.</summary>
    public string? Endpoint { get; set; }
    /// <summary>ISO 639-1 language of the speech (<c>en</c>) for the <c>transcription</c> purpose; null lets the
    /// recogniser detect it.</summary>
    public string? Language { get; set; }
}
