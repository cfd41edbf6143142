using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Veeky.Configs;

namespace Veeky.Indexer.Enrichment;

/// <summary>Keywords of a segment from the chat model, asked for as JSON {keywords: string[]} and normalised.</summary>
public sealed class KeywordExtractor(IChatClient chat, EnrichmentOptions options)
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"keywords":{"type":"array","items":{"type":"string"}}},"required":["keywords"]}
        """).RootElement.Clone();

    public async Task<IReadOnlyList<string>> ExtractAsync(PromptValues values, CancellationToken ct)
    {
        var prompt = PromptTemplate.Render(options.KeywordsPrompt, values.ByPlaceholder());
        var chatOptions = EnrichmentOptions.ChatOptionsFor(options.KeywordsModel, 0f, 256);
        chatOptions.ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "keywords", "Keywords of a video moment");
        // The adapter retries server errors; a model that answers with broken JSON gets one more chance here.
        for (var attempt = 1; ; attempt++)
        {
            var response = await chat.GetResponseAsync(prompt, chatOptions, ct);
            if (TryParse(response.Text, out var keywords))
            {
                return Normalize(keywords, options.MaxKeywords);
            }
            if (attempt == 2)
            {
                throw new InvalidDataException($"The chat model answered keywords that are not the JSON asked for: {Shorten(response.Text)}");
            }
        }
    }

    /// <summary>Lowercase, single-spaced, trimmed of punctuation, at most four words, no duplicates, at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> keywords, int max) =>
        keywords
            .Select(k => string.Join(' ', k.ToLower(CultureInfo.InvariantCulture)
                .Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
                .Select(w => w.Trim('.', ',', ';', ':', '!', '?', '"', '\'', '#', '(', ')'))
                .Where(w => w.Length > 0)))
            .Where(k => k.Length > 0 && k.Count(c => c == ' ') < 4 && k.Length <= 40)
            .Distinct(StringComparer.Ordinal)
            .Take(max)
            .ToList();

    private static bool TryParse(string text, out List<string> keywords)
    {
        keywords = [];
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keywords", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                return false;
            }
            keywords = array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
