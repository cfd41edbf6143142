using System.Text.RegularExpressions;

namespace Veeky.Configs;

/// <summary>Reads and fills the <c>{{placeholder}}</c> markers of prompt templates.</summary>
public static partial class PromptTemplate
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Marker();

    /// <summary>The placeholder names in <paramref name="template"/>, each once, in order of appearance.</summary>
    public static IReadOnlyList<string> Placeholders(string template) =>
        Marker().Matches(template).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Placeholders of <paramref name="template"/> that the prompt <paramref name="name"/> cannot fill.</summary>
    public static IReadOnlyList<string> UnknownPlaceholders(string name, string template)
    {
        var allowed = PromptNames.AllowedPlaceholders(name);
        return Placeholders(template).Where(p => !allowed.Contains(p, StringComparer.Ordinal)).ToList();
    }

    /// <summary>Replaces every placeholder with its value; one without a value becomes empty text, so a missing OCR
    /// result does not leave a marker in front of the model.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string?> values) =>
        Marker().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value ?? "" : "");
}
