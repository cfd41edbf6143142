using Microsoft.Extensions.AI;
using Veeky.Configs;

namespace Veeky.Indexer.Enrichment;

/// <summary>One short sentence about a keyframe from the vision model.</summary>
public sealed class KeyframeCaptioner(IChatClient vision, EnrichmentOptions options)
{
    /// <summary>Captions <paramref name="jpeg"/>, the prompt filled from <paramref name="values"/> (no caption yet).</summary>
    public async Task<string> CaptionAsync(byte[] jpeg, PromptValues values, CancellationToken ct)
    {
        var prompt = PromptTemplate.Render(options.CaptionPrompt, values.ByPlaceholder());
        var message = new ChatMessage(ChatRole.User, [new TextContent(prompt), new DataContent(jpeg, "image/jpeg")]);
        var response = await vision.GetResponseAsync([message], EnrichmentOptions.ChatOptionsFor(options.CaptionModel, 0.2f, 60), ct);
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
