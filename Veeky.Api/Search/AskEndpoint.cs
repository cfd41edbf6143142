using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using Veeky.Api.Identity;
using Veeky.Configs;
using Veeky.Search;

namespace Veeky.Api.Search;

/// <summary><c>POST /api/ask</c>: a chat model answers from the moments the caller can see and cites them.</summary>
public static class AskEndpoint
{
    private const string ChatSetting = "ConnectionStrings:ollama-chat";

    /// <summary>Moments given to the model: enough context for an answer, few enough for a small model's window.</summary>
    private const int ContextMoments = 8;

    /// <summary>Asked when the Configs store has no <c>answer</c> prompt (an admin deleted it).</summary>
    private const string BuiltInPrompt =
        "Answer the question using only the numbered video moments below. Cite moments as [n]. " +
        "If they do not contain the answer, say so.\n\nMoments:\n{{moments}}\n\nQuestion: {{question}}";

    public static async Task<Results<Ok<AskResponse>, ValidationProblem, ProblemHttpResult>> AskAsync(
        AskRequest request, ISearchIndex index, CurrentUser currentUser, IServiceProvider services, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["question"] = ["Ask a question."] });
        }
        if (services.GetService<IChatClient>() is not { } chat)
        {
            return TypedResults.Problem($"Answers need a chat model: set {ChatSetting} (Endpoint=…;Model=…).",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "No chat model");
        }

        var scope = await currentUser.GetScopeAsync(ct);
        var result = await index.SearchAsync(new SearchRequest(request.Question, scope, SearchMode.Text,
            request.CategoryId, request.VideoId, ContextMoments), ct);
        var context = new StringBuilder();
        for (var i = 0; i < result.Hits.Count; i++)
        {
            var hit = result.Hits[i];
            context.AppendLine($"[{i + 1}] \"{hit.VideoTitle}\" {hit.Start:0.#}s-{hit.End:0.#}s: {StripMarks(hit.Snippet)}");
        }
        // Read per request, never cached: an admin's edit of the prompt or model applies to the next question.
        var configs = services.GetService<IConfigStore>();
        var template = (configs is null ? null : await configs.GetPromptAsync(PromptNames.Answer, ct))?.Template ?? BuiltInPrompt;
        var setting = configs is null ? null : await configs.GetLlmSettingAsync(LlmPurposes.Answer, ct);
        var prompt = PromptTemplate.Render(template, new Dictionary<string, string?>
        {
            ["question"] = request.Question,
            ["moments"] = context.ToString(),
        });
        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], Options(setting), ct);

        var citations = result.Hits
            .Where((_, i) => response.Text.Contains($"[{i + 1}]", StringComparison.Ordinal))
            .Select(h => new AskCitation(h.VideoId, h.VideoTitle, h.SegmentIndex, h.Start, h.End))
            .ToList();
        return TypedResults.Ok(new AskResponse(response.Text, citations));
    }

    /// <summary>The answer setting's model, temperature and token limit; null leaves the chat connection's defaults.</summary>
    private static ChatOptions? Options(LlmSetting? setting) => setting is null ? null : new ChatOptions
    {
        ModelId = string.IsNullOrWhiteSpace(setting.Model) ? null : setting.Model,
        Temperature = (float)setting.Temperature,
        MaxOutputTokens = setting.MaxTokens > 0 ? setting.MaxTokens : null,
    };

    private static string StripMarks(string snippet) =>
        System.Net.WebUtility.HtmlDecode(snippet.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal));
}

/// <summary>Body of <c>POST /api/ask</c>.</summary>
public sealed record AskRequest(string? Question, Guid? CategoryId, Guid? VideoId);

/// <summary>An answer and the moments it rests on.</summary>
public sealed record AskResponse(string Answer, IReadOnlyList<AskCitation> Citations);

public sealed record AskCitation(Guid VideoId, string VideoTitle, int SegmentIndex, double Start, double End);
