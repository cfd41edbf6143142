using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Api.Identity;
using Veeky.Configs;
using Veeky.Contracts;
using Veeky.Search;

namespace Veeky.Api.Search;

/// <summary>
/// Answers a question from the moments the caller may see: hybrid retrieval under the caller's scope, then the chat
/// model with the admin's answer prompt. <c>POST /api/ask</c> and the MCP <c>ask</c> tool both take this service, so
/// validation, retrieval and model-failure handling exist once. The chat model and the Configs store are optional
/// (no chat model: a 503 naming the setting; no store: the built-in prompt and the connection's defaults).
/// </summary>
public sealed class QuestionAnswerer(ISearchIndex index, CurrentUser currentUser, QueryEmbeddings embeddings,
    ILogger<QuestionAnswerer> logger, IChatClient? chat = null, IConfigStore? configs = null)
{
    private const string ChatSetting = "ConnectionStrings:ollama-chat";

    /// <summary>Moments given to the model: enough context for an answer, few enough for a small model's window.</summary>
    private const int ContextMoments = 8;

    /// <summary>Asked when the Configs store has no <c>answer</c> prompt (an admin deleted it).</summary>
    private const string BuiltInPrompt =
        "Answer the question using only the numbered video moments below. Cite moments as [n]. " +
        "If they do not contain the answer, say so.\n\nMoments:\n{{moments}}\n\nQuestion: {{question}}";

    /// <summary>The answer as JSON, or as an event stream when <paramref name="stream"/> (the MCP <c>ask</c> tool takes
    /// the JSON one whatever its client accepts).</summary>
    public async Task<Results<Ok<AskAnswer>, AskStream, ValidationProblem, ProblemHttpResult>> AnswerAsync(
        AskRequest request, bool stream, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["question"] = ["Ask a question."] });
        }
        if (request.Question.Length > AskEndpoint.MaxQuestionLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["question"] = [$"Keep the question under {AskEndpoint.MaxQuestionLength} characters."],
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
            context.AppendLine($"[{i + 1}] \"{hit.VideoTitle}\" {hit.Start:0.#}s-{hit.End:0.#}s: {AskEndpoint.StripMarks(hit.Snippet)}");
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
                return ModelFailed(ex);
            }
        }

        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(messages, Options(setting), ct);
        }
        catch (Exception ex) when (ModelFailures.IsModelFailure(ex, ct))
        {
            return ModelFailed(ex);
        }
        return TypedResults.Ok(AskEndpoint.Respond(response.Text, result.Hits));
    }

    private ProblemHttpResult ModelFailed(Exception ex) =>
        ModelFailures.Problem(ex, logger, "The chat model failed", "The chat model did not answer. Try again in a moment.");

    /// <summary>The answer setting's model, temperature and token limit; null leaves the chat connection's defaults.</summary>
    private static ChatOptions? Options(LlmSetting? setting) => setting is null ? null : new ChatOptions
    {
        ModelId = string.IsNullOrWhiteSpace(setting.Model) ? null : setting.Model,
        Temperature = (float)setting.Temperature,
        MaxOutputTokens = setting.MaxTokens > 0 ? setting.MaxTokens : null,
    };
}
