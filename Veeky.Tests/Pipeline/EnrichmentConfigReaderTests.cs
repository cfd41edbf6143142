using Veeky.Configs;
using Veeky.Indexer.Enrichment;

namespace Veeky.Tests.Pipeline;

/// <summary>How one Enrich run's options come from the Configs store: its rows win, a missing row keeps the built-in
/// prompt, and the built-in prompts render with the same placeholders as the store's.</summary>
public sealed class EnrichmentConfigReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_missing_row_keeps_the_built_in_prompt_and_model_while_a_present_one_replaces_it()
    {
        var store = new InMemoryConfigStore(
            [new Prompt { Name = PromptNames.Keywords, Template = "Keywords of {{title}}" }],
            [new LlmSetting { Purpose = LlmPurposes.Caption, Model = "vision-x", Temperature = 0.5, MaxTokens = 77 }]);
        var builtIn = new EnrichmentOptions();

        var run = await EnrichmentConfigReader.ReadAsync(store, builtIn, Ct);

        Assert.Equal("Keywords of {{title}}", run.KeywordsPrompt);
        Assert.Equal(builtIn.CaptionPrompt, run.CaptionPrompt);
        Assert.Equal(builtIn.SummaryPrompt, run.SummaryPrompt);
        Assert.Null(run.KeywordsModel);
        Assert.Null(run.EmbeddingModel);
        var caption = EnrichmentOptions.ChatOptionsFor(run.CaptionModel, 0.2f, 60);
        Assert.Equal(("vision-x", 0.5f, 77), (caption.ModelId, caption.Temperature, caption.MaxOutputTokens));
        var keywords = EnrichmentOptions.ChatOptionsFor(run.KeywordsModel, 0f, 256);
        Assert.Equal((null, 0f, 256), (keywords.ModelId, keywords.Temperature, keywords.MaxOutputTokens));
    }

    [Fact]
    public void The_built_in_prompts_use_only_the_placeholders_the_Configs_store_allows_and_render_completely()
    {
        var options = new EnrichmentOptions();
        var values = new PromptValues("Lecture 1", "hello there", "SLIDE 2", "a whiteboard").ByPlaceholder();

        foreach (var (name, template) in new[]
        {
            (PromptNames.Caption, options.CaptionPrompt),
            (PromptNames.Keywords, options.KeywordsPrompt),
            (PromptNames.Summary, options.SummaryPrompt),
        })
        {
            Assert.Empty(PromptTemplate.UnknownPlaceholders(name, template));
            var rendered = PromptTemplate.Render(template, values);
            Assert.Contains("Lecture 1", rendered);
            Assert.Contains("hello there", rendered);
            Assert.DoesNotContain("{{", rendered);
        }
    }

    /// <summary>An <see cref="IConfigStore"/> holding fixed rows; anything else is missing.</summary>
    private sealed class InMemoryConfigStore(IReadOnlyList<Prompt> prompts, IReadOnlyList<LlmSetting> settings) : IConfigStore
    {
        public Task<Prompt?> GetPromptAsync(string name, CancellationToken ct = default) =>
            Task.FromResult(prompts.FirstOrDefault(p => p.Name == name));

        public Task<LlmSetting?> GetLlmSettingAsync(string purpose, CancellationToken ct = default) =>
            Task.FromResult(settings.FirstOrDefault(s => s.Purpose == purpose));

        public Task<string?> GetValueAsync(string key, CancellationToken ct = default) => Task.FromResult<string?>(null);

        public string Render(string template, IReadOnlyDictionary<string, string?> values) => PromptTemplate.Render(template, values);
    }
}
