using Microsoft.Extensions.AI;

namespace Veeky.Indexer.Enrichment;

/// <summary>One short sentence about a keyframe from the vision model.</summary>
public sealed class KeyframeCaptioner(IChatClient vision, EnrichmentOptions options)
{
    public async Task<string> CaptionAsync(byte[] jpeg, CancellationToken ct)
    {
        var message = new ChatMessage(ChatRole.User, [new TextContent(options.CaptionPrompt), new DataContent(jpeg, "image/jpeg")]);
        var response = await vision.GetResponseAsync([message], new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 60 }, ct);
        return FirstSentence(response.Text);
    }

    /// <summary>Small models add a second sentence or a preamble line; the first non-empty line's first sentence is kept.</summary>
    private static string FirstSentence(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        var end = line.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? line[..(end + 1)] : line).Trim();
    }
}
