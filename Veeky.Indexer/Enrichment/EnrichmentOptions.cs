using Microsoft.Extensions.AI;
using Veeky.Configs;

namespace Veeky.Indexer.Enrichment;

/// <summary>
/// Prompts, models and limits of the AI enrichment. The defaults are the built-in prompts; each job replaces them with
/// the Configs store's (see <see cref="EnrichmentConfigReader"/>). Placeholders are the Configs names
/// (<see cref="PromptNames.AllowedPlaceholders"/>), so both sources render the same way.
/// </summary>
public sealed record EnrichmentOptions
{
    /// <summary>Asked of the vision model with the keyframe attached.</summary>
    public string CaptionPrompt { get; init; } =
        "Describe what this frame from the video \"{{title}}\" shows in one short sentence, without guessing beyond " +
        "what is visible.\nSpeech around it: {{transcript}}\nText on screen: {{ocr}}";

    /// <summary>Asked of the chat model with the segment's text; the answer follows a JSON schema {keywords: string[]}.</summary>
    public string KeywordsPrompt { get; init; } =
        "List up to 10 short lowercase keyword phrases that say what this video moment is about.\nTitle: {{title}}\n" +
        "Transcript: {{transcript}}\nText on screen: {{ocr}}\nWhat it shows: {{caption}}";

    /// <summary>Asked of the chat model with the text of every segment in order.</summary>
    public string SummaryPrompt { get; init; } =
        "Summarise this video in exactly 3 sentences.\nTitle: {{title}}\nTranscript: {{transcript}}\n" +
        "Text on screen: {{ocr}}\nWhat it shows: {{caption}}";

    /// <summary>Model and sampling of the caption calls; null keeps the vision connection's model and the built-in
    /// sampling.</summary>
    public LlmSetting? CaptionModel { get; init; }

    /// <summary>Model and sampling of the keyword and summary calls (the Configs store has no separate summary
    /// purpose); null keeps the chat connection's model.</summary>
    public LlmSetting? KeywordsModel { get; init; }

    /// <summary>Model of the text embeddings; null keeps the embedding connection's model.</summary>
    public LlmSetting? EmbeddingModel { get; init; }

    /// <summary>Caption (and keyword) calls in flight at once: 4 keeps a single Ollama busy (it queues the rest)
    /// without flooding a shared server.</summary>
    public int MaxParallelCalls { get; init; } = 4;

    /// <summary>Texts per embedding call; the Ollama adapter splits further by its own BatchSize (32).</summary>
    public int EmbeddingBatchSize { get; init; } = 64;

    /// <summary>Keywords kept per segment, after normalising and removing duplicates.</summary>
    public int MaxKeywords { get; init; } = 10;

    /// <summary>Characters of the video's text given to the summary prompt, so a long video fits a small context.</summary>
    public int MaxSummaryInputChars { get; init; } = 12_000;

    /// <summary>The call options for <paramref name="setting"/>: its model, temperature and token limit; the
    /// built-in values where there is no setting or its limit is not positive.</summary>
    public static ChatOptions ChatOptionsFor(LlmSetting? setting, float temperature, int maxTokens) => new()
    {
        ModelId = string.IsNullOrWhiteSpace(setting?.Model) ? null : setting.Model,
        Temperature = setting is null ? temperature : (float)setting.Temperature,
        MaxOutputTokens = setting is { MaxTokens: > 0 } ? setting.MaxTokens : maxTokens,
    };
}
