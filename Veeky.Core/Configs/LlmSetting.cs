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
}
