using Veeky.Configs;

namespace Veeky.Indexer.Enrichment;

/// <summary>
/// The enrichment options of one job: the Configs store's caption, keywords and summary prompts and its caption,
/// keywords and embedding settings over the built-in options. Read at the start of every run without a cache, so an
/// admin's edit applies to the next video without a restart; a missing row keeps the built-in value.
/// </summary>
public static class EnrichmentConfigReader
{
    public static async Task<EnrichmentOptions> ReadAsync(IConfigStore? store, EnrichmentOptions builtIn, CancellationToken ct)
    {
        if (store is null)
        {
            return builtIn;
        }
        var caption = await store.GetPromptAsync(PromptNames.Caption, ct);
        var keywords = await store.GetPromptAsync(PromptNames.Keywords, ct);
        var summary = await store.GetPromptAsync(PromptNames.Summary, ct);
        return builtIn with
        {
            CaptionPrompt = caption?.Template ?? builtIn.CaptionPrompt,
            KeywordsPrompt = keywords?.Template ?? builtIn.KeywordsPrompt,
            SummaryPrompt = summary?.Template ?? builtIn.SummaryPrompt,
            CaptionModel = await store.GetLlmSettingAsync(LlmPurposes.Caption, ct) ?? builtIn.CaptionModel,
            KeywordsModel = await store.GetLlmSettingAsync(LlmPurposes.Keywords, ct) ?? builtIn.KeywordsModel,
            EmbeddingModel = await store.GetLlmSettingAsync(LlmPurposes.Embedding, ct) ?? builtIn.EmbeddingModel,
        };
    }
}
