using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.AI;
using Microsoft.Net.Http.Headers;
using Veeky.AI;
using Veeky.Api.Identity;
using Veeky.Configs;
using Veeky.Contracts;
using Veeky.Search;
using SearchHit = Veeky.Search.SearchHit;

namespace Veeky.Api.Search;

/// <summary>
/// <c>POST /api/ask</c>: a chat model answers from the moments the caller can see and cites them. With
/// <c>Accept: text/event-stream</c> the answer streams as Server-Sent Events (<see cref="AskStream"/>).
/// </summary>
public static partial class AskEndpoint
{
    private const string ChatSetting = "ConnectionStrings:ollama-chat";

    /// <summary>Moments given to the model: enough context for an answer, few enough for a small model's window.</summary>
    private const int ContextMoments = 8;

    /// <summary>Longest question accepted: a question is a sentence or two; more only costs the model's window.</summary>
    public const int MaxQuestionLength = Limits.QuestionLength;

    /// <summary>Asked when the Configs store has no <c>answer</c> prompt (an admin deleted it).</summary>
    private const string BuiltInPrompt =
        "Answer the question using only the numbered video moments below. Cite moments as [n]. " +
        "If they do not contain the answer, say so.\n\nMoments:\n{{moments}}\n\nQuestion: {{question}}";

    public static Task<Results<Ok<AskAnswer>, AskStream, ValidationProblem, ProblemHttpResult>> AskAsync(
        AskRequest request, HttpContext http, ISearchIndex index, CurrentUser currentUser, QueryEmbeddings embeddings,
        [FromServices] IChatClient? chat, [FromServices] IConfigStore? configs, ILoggerFactory loggers, CancellationToken ct) =>
        AnswerAsync(request, WantsEventStream(http.Request), index, currentUser, embeddings, chat, configs, loggers, ct);

    /// <summary>The answer as JSON, or as an event stream when <paramref name="stream"/> (the MCP <c>ask</c> tool takes
    /// the JSON one whatever its client accepts).</summary>
    internal static async Task<Results<Ok<AskAnswer>, AskStream, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        AskRequest request, bool stream, ISearchIndex index, CurrentUser currentUser, QueryEmbeddings embeddings,
        IChatClient? chat, IConfigStore? configs, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(AskEndpoint));
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["question"] = ["Ask a question."] });
        }
        if (request.Question.Length > MaxQuestionLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["question"] = [$"Keep the question under {MaxQuestionLength} characters."],
            });
        }
        if (chat is null)
        {
            return TypedResults.Problem($"Answers need a chat model: set {ChatSetting} (Endpoint=…;Model=…).",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "No chat model");
        }

        var question = request.Question.Trim();
        var scope = await currentUser.GetScopeAsync(ct);
        // Hybrid retrieval under the caller's scope: the model only ever sees (and so can only cite) visible moments.
        var vectors = await embeddings.EmbedAsync(question, scope, request.CategoryId, ct);
        var result = await index.SearchAsync(new SearchRequest(question, scope, vectors.IsEmpty ? SearchMode.Text : SearchMode.Hybrid,
            request.CategoryId, request.VideoId, ContextMoments, 0, vectors.Text, vectors.Image), ct);
        var context = new StringBuilder();
        for (var i = 0; i < result.Hits.Count; i++)
        {
            var hit = result.Hits[i];
            context.AppendLine($"[{i + 1}] \"{hit.VideoTitle}\" {hit.Start:0.#}s-{hit.End:0.#}s: {StripMarks(hit.Snippet)}");
        }
        // Read per request, never cached: an admin's edit of the prompt or model applies to the next question.
        var template = (configs is null ? null : await configs.GetPromptAsync(PromptNames.Answer, ct))?.Template ?? BuiltInPrompt;
        var setting = configs is null ? null : await configs.GetLlmSettingAsync(LlmPurposes.Answer, ct);
        var prompt = PromptTemplate.Render(template, new Dictionary<string, string?>
        {
            ["question"] = question,
            ["moments"] = context.ToString(),
        });
        List<ChatMessage> messages = [new ChatMessage(ChatRole.User, prompt)];

        if (stream)
        {
            // The first token is awaited here, so a model that fails at once is still an ordinary 503 answer.
            var updates = chat.GetStreamingResponseAsync(messages, Options(setting), ct).GetAsyncEnumerator(ct);
            try
            {
                var first = await updates.MoveNextAsync() ? updates.Current : null;
                return new AskStream(updates, first, result.Hits, logger);
            }
            catch (Exception ex) when (ModelFailures.IsModelFailure(ex, ct))
            {
                await updates.DisposeAsync();
                return ModelFailed(ex, logger);
            }
        }

        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(messages, Options(setting), ct);
        }
        catch (Exception ex) when (ModelFailures.IsModelFailure(ex, ct))
        {
            return ModelFailed(ex, logger);
        }
        return TypedResults.Ok(Respond(response.Text, result.Hits));
    }

    /// <summary>The answer with the moments it cites as <c>[n]</c> (or <c>[n, m]</c>) and all the moments it was built
    /// from, best first: small models often cite nothing, and the sources still say where to look. Only retrieved
    /// (thus visible) moments can be cited or listed.</summary>
    internal static AskAnswer Respond(string answer, IReadOnlyList<SearchHit> hits)
    {
        var cited = CitedNumbers(answer);
        var sources = hits
            .Select((h, i) => new AskSource(h.VideoId, h.VideoTitle, h.SegmentIndex, h.Start, h.End, cited.Contains(i + 1)))
            .ToList();
        var citations = sources.Where(s => s.Cited)
            .Select(s => new AskCitation(s.VideoId, s.VideoTitle, s.SegmentIndex, s.Start, s.End))
            .ToList();
        return new AskAnswer(answer, citations, sources);
    }

    private static HashSet<int> CitedNumbers(string answer) =>
        [.. CitationMarks().Matches(answer)
            .SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
            .Select(n => int.TryParse(n, out var number) ? number : 0)];

    [System.Text.RegularExpressions.GeneratedRegex(@"\[(\d+(?:\s*,\s*\d+)*)\]")]
    private static partial System.Text.RegularExpressions.Regex CitationMarks();

    private static ProblemHttpResult ModelFailed(Exception ex, ILogger logger) =>
        ModelFailures.Problem(ex, logger, "The chat model failed", "The chat model did not answer. Try again in a moment.");

    /// <summary>True when the client prefers the event stream: its most wanted type (by quality, then order) is
    /// <c>text/event-stream</c>. Anything else, or no Accept at all, gets the JSON answer of the contract.</summary>
    private static bool WantsEventStream(HttpRequest request) =>
        request.GetTypedHeaders().Accept
            .OrderByDescending(a => a.Quality ?? 1)
            .FirstOrDefault() is { } preferred
        && preferred.MediaType.Equals(AskStream.ContentType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The answer setting's model, temperature and token limit; null leaves the chat connection's defaults.</summary>
    private static ChatOptions? Options(LlmSetting? setting) => setting is null ? null : new ChatOptions
    {
        ModelId = string.IsNullOrWhiteSpace(setting.Model) ? null : setting.Model,
        Temperature = (float)setting.Temperature,
        MaxOutputTokens = setting.MaxTokens > 0 ? setting.MaxTokens : null,
    };

    internal static string StripMarks(string snippet) =>
        System.Net.WebUtility.HtmlDecode(snippet.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal));
}
