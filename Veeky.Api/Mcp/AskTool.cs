using System.ComponentModel;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using Veeky.Api.Search;
using Veeky.Contracts;

namespace Veeky.Api.Mcp;

/// <summary>The MCP <c>ask</c> tool, listed only when a chat model is configured (called without one, it says which
/// setting is missing). It is <c>POST /api/ask</c>: the
/// model sees, and so can cite, only moments the caller may see.</summary>
[McpServerToolType]
public sealed class AskTool
{
    public const string Name = "ask";

    [McpServerTool(Name = Name, ReadOnly = true)]
    [Description("Answers a question from the moments of the videos you may see, citing them with links.")]
    public static async Task<McpAnswer> AskAsync(
        QuestionAnswerer answerer,
        IOptions<ApiOptions> options,
        [Description("The question, in plain words.")] string question,
        [Description("Only use videos of this category (its id).")] Guid? categoryId = null,
        [Description("Only use this video (its id).")] Guid? videoId = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await answerer.AnswerAsync(new AskRequest(question, categoryId, videoId), stream: false, cancellationToken);
        var response = McpAnswers.Value<AskAnswer>(answer.Result);
        return new McpAnswer(response.Answer,
            response.Sources.Select(s => new McpSource(s.VideoId, s.VideoTitle, s.Start, s.End, s.Cited,
                McpAnswers.VideoLink(options.Value, s.VideoId, s.Start))).ToList());
    }
}

/// <summary>An answer of the <c>ask</c> tool and the moments it was built from; <c>[n]</c> in the answer cites source n.</summary>
public sealed record McpAnswer(string Answer, IReadOnlyList<McpSource> Sources);

/// <summary>A moment given to the model, marked when the answer cites it.</summary>
public sealed record McpSource(Guid VideoId, string VideoTitle, double Start, double End, bool Cited, string Link);
