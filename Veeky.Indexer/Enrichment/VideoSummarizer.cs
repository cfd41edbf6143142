using Microsoft.Extensions.AI;

namespace Veeky.Indexer.Enrichment;

/// <summary>A three-sentence summary of a video from the chat model, given its segments' text in order.</summary>
public sealed class VideoSummarizer(IChatClient chat, EnrichmentOptions options)
{
    public async Task<string> SummarizeAsync(string title, IEnumerable<string> segmentTexts, CancellationToken ct)
    {
        var text = string.Join('\n', segmentTexts.Where(t => t.Length > 0));
        if (text.Length > options.MaxSummaryInputChars)
        {
            text = text[..options.MaxSummaryInputChars];
        }
        var response = await chat.GetResponseAsync(EnrichmentOptions.Fill(options.SummaryPrompt, title, text),
            new ChatOptions { Temperature = 0.3f, MaxOutputTokens = 200 }, ct);
        return response.Text.Trim();
    }
}
