namespace Veeky.Configs;

/// <summary>A key-value setting an admin edits at run time (<c>/api/configs</c>).</summary>
public sealed class Config
{
    public required string Key { get; set; }
    public required string Value { get; set; }
}
