using Microsoft.Extensions.AI;
using Veeky.Configs;

namespace Veeky.Indexer.Enrichment;

/// <summary>A three-sentence summary of a video from the chat model, given its segments' texts in order.</summary>
public sealed class VideoSummarizer(IChatClient chat, EnrichmentOptions options)
{
    /// <summary>Summarises the video titled <paramref name="title"/>; each segment's transcript, OCR text and caption are
    /// joined per placeholder, and each joined text is cut to <see cref="EnrichmentOptions.MaxSummaryInputChars"/> so
    /// a long video fits a small context.</summary>
    public async Task<string> SummarizeAsync(string title, IReadOnlyList<PromptValues> segments, CancellationToken ct)
    {
        var values = new PromptValues(title,
            Join(segments.Select(s => s.Transcript)), Join(segments.Select(s => s.Ocr)), Join(segments.Select(s => s.Caption)));
        var response = await chat.GetResponseAsync(PromptTemplate.Render(options.SummaryPrompt, values.ByPlaceholder()),
            EnrichmentOptions.ChatOptionsFor(options.KeywordsModel, 0.3f, 200), ct);
        return response.Text.Trim();
    }

    private string Join(IEnumerable<string?> texts)
    {
        var text = string.Join('\n', texts.Where(t => !string.IsNullOrWhiteSpace(t)));
        return text.Length > options.MaxSummaryInputChars ? text[..options.MaxSummaryInputChars] : text;
    }
}
