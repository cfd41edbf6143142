namespace Veeky.Indexer.Enrichment;

/// <summary>What an enrichment prompt can be filled with: the Configs placeholders title, transcript, ocr and caption
/// of a segment (or of the whole video, for the summary).</summary>
public sealed record PromptValues(string Title, string? Transcript, string? Ocr, string? Caption)
{
    /// <summary>The values by placeholder name, for <see cref="Veeky.Configs.PromptTemplate.Render"/>.</summary>
    public IReadOnlyDictionary<string, string?> ByPlaceholder() => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["title"] = Title,
        ["transcript"] = Transcript,
        ["ocr"] = Ocr,
        ["caption"] = Caption,
    };

    /// <summary>True when there is nothing but the title to ask about.</summary>
    public bool IsEmpty => string.IsNullOrWhiteSpace(Transcript) && string.IsNullOrWhiteSpace(Ocr) && string.IsNullOrWhiteSpace(Caption);
}
