namespace Veeky.Indexer.Enrichment;

/// <summary>
/// Prompts and limits of the AI enrichment. The defaults are the built-in prompts; the Configs store can supply
/// another instance per job (placeholders: <c>{{title}}</c>, <c>{{text}}</c>).
/// </summary>
public sealed record EnrichmentOptions
{
    /// <summary>Asked of the vision model with the keyframe attached.</summary>
    public string CaptionPrompt { get; init; } =
        "Describe what this video frame shows in one short sentence, without guessing beyond what is visible.";

    /// <summary>Asked of the chat model with the segment's text; the answer follows a JSON schema {keywords: string[]}.</summary>
    public string KeywordsPrompt { get; init; } =
        "List up to 10 short lowercase keyword phrases that say what this video moment is about.\nTitle: {{title}}\n{{text}}";

    /// <summary>Asked of the chat model with the text of every segment in order.</summary>
    public string SummaryPrompt { get; init; } =
        "Summarise this video in exactly 3 sentences.\nTitle: {{title}}\n{{text}}";

    /// <summary>Caption (and keyword) calls in flight at once: 4 keeps a single Ollama busy (it queues the rest)
    /// without flooding a shared server.</summary>
    public int MaxParallelCalls { get; init; } = 4;

    /// <summary>Texts per embedding call; the Ollama adapter splits further by its own BatchSize (32).</summary>
    public int EmbeddingBatchSize { get; init; } = 64;

    /// <summary>Keywords kept per segment, after normalising and removing duplicates.</summary>
    public int MaxKeywords { get; init; } = 10;

    /// <summary>Characters of the video's text given to the summary prompt, so a long video fits a small context.</summary>
    public int MaxSummaryInputChars { get; init; } = 12_000;

    /// <summary>Fills <c>{{title}}</c> and <c>{{text}}</c> in <paramref name="template"/>.</summary>
    public static string Fill(string template, string title, string text) =>
        template.Replace("{{title}}", title, StringComparison.Ordinal).Replace("{{text}}", text, StringComparison.Ordinal);
}
