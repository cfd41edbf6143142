namespace Veeky.Configs;

/// <summary>The prompts the pipeline uses and the placeholders each may contain.</summary>
public static class PromptNames
{
    public const string Caption = "caption";
    public const string Keywords = "keywords";
    public const string Summary = "summary";
    public const string Answer = "answer";

    /// <summary>Placeholders a prompt of any other name may use: the union of the known ones.</summary>
    private static readonly string[] AnyPlaceholder = ["title", "transcript", "ocr", "caption", "question", "moments"];

    private static readonly Dictionary<string, string[]> Placeholders = new(StringComparer.Ordinal)
    {
        [Caption] = ["title", "transcript", "ocr"],
        [Keywords] = ["title", "transcript", "ocr", "caption"],
        [Summary] = ["title", "transcript", "ocr", "caption"],
        [Answer] = ["question", "moments"],
    };

    /// <summary>The placeholders a template of the prompt <paramref name="name"/> may contain.</summary>
    public static IReadOnlyList<string> AllowedPlaceholders(string name) =>
        Placeholders.TryGetValue(name, out var allowed) ? allowed : AnyPlaceholder;
}
