using Microsoft.Extensions.Configuration;
using Veeky.AI;

namespace Veeky.Configs;

/// <summary>The prompts and LLM settings a new installation starts with; models are Ollama's names.</summary>
public static class ConfigDefaults
{
    public static IReadOnlyList<Prompt> Prompts() =>
    [
        new()
        {
            Name = PromptNames.Caption,
            Description = "Describes a segment's keyframe for the vision model.",
            Template = "Describe in one or two sentences what this frame from the video \"{{title}}\" shows. " +
                "Speech around it: {{transcript}}\nText on screen: {{ocr}}",
        },
        new()
        {
            Name = PromptNames.Keywords,
            Description = "Lists keywords of a segment.",
            Template = "List at most 10 short lowercase keywords for this part of the video \"{{title}}\".\n" +
                "Transcript: {{transcript}}\nText on screen: {{ocr}}\nWhat it shows: {{caption}}",
        },
        new()
        {
            Name = PromptNames.Summary,
            Description = "Summarises a whole video in three sentences.",
            Template = "Summarise the video \"{{title}}\" in three sentences.\nTranscript: {{transcript}}\n" +
                "Text on screen: {{ocr}}\nWhat it shows: {{caption}}",
        },
        new()
        {
            Name = PromptNames.Answer,
            Description = "Answers a question from the moments search found, citing them.",
            Template = "Answer the question using only the moments below. Cite each moment you use by its number " +
                "in square brackets, like [1]. If the moments do not answer it, say so.\n\nMoments:\n{{moments}}\n\n" +
                "Question: {{question}}",
        },
    ];

    /// <summary>A setting per purpose. Models come from the connection strings where they name one, so the first
    /// start follows the deployment (Aspire's Ollama models, a Whisper server) and the indexer embeds segments with the
    /// same model search embeds queries with; the names here are only the fallbacks.</summary>
    public static IReadOnlyList<LlmSetting> LlmSettings(IConfiguration? configuration = null)
    {
        string Model(string connectionName, string fallback) =>
            (configuration is null ? null : ModelConnection.FromConfiguration(configuration, connectionName)?.Model) ?? fallback;

        var chat = Model("ollama-chat", "llama3.2");
        return
        [
            // Captions use the vision model, or the chat model where no vision model is configured (as AddVeekyAI does).
            new() { Purpose = LlmPurposes.Caption, Model = Model("ollama-vision", Model("ollama-chat", "llava")), Temperature = 0.2, MaxTokens = 256 },
            new() { Purpose = LlmPurposes.Keywords, Model = chat, Temperature = 0.2, MaxTokens = 256 },
            // Embedding models ignore temperature and length; the values only satisfy validation.
            new() { Purpose = LlmPurposes.Embedding, Model = Model("ollama-embed", "all-minilm"), Temperature = 0, MaxTokens = 512 },
            new() { Purpose = LlmPurposes.Answer, Model = chat, Temperature = 0.3, MaxTokens = 1024 },
            new() { Purpose = LlmPurposes.Transcription, Model = Model("whisper", "whisper-1"), Temperature = 0, MaxTokens = 4096 },
        ];
    }
}
