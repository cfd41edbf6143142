namespace Veeky.Configs;

/// <summary>A prompt template the pipeline fills per job; <c>{{placeholders}}</c> name the values it inserts.</summary>
public sealed class Prompt
{
    public required string Name { get; set; }
    public required string Template { get; set; }
    public string? Description { get; set; }
}
