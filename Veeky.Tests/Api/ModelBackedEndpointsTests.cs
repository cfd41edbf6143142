using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>Search and answers when models are configured (test-only models stand in for Ollama).</summary>
public sealed class ModelBackedEndpointsTests(ApiWithModelsFactory factory) : IClassFixture<ApiWithModelsFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ask_answers_with_the_chat_models_text()
    {
        var client = await SignInAsync();

        var response = await client.PostAsJsonAsync("/api/ask", new { question = "What does the clip show?" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(ApiTestOnlyChatClient.Answer, answer.GetProperty("answer").GetString());
        Assert.Equal(JsonValueKind.Array, answer.GetProperty("citations").ValueKind);
    }

    [Fact]
    public async Task Ask_fills_the_admin_edited_answer_prompt_and_calls_the_answer_model()
    {
        var client = await SignInAsync();
        var chat = Assert.IsType<ApiTestOnlyChatClient>(factory.Services.GetRequiredService<IChatClient>());
        (await client.PutAsJsonAsync("/api/configs/prompts/answer",
            new { template = "EDITED ASK. Q={{question}} M=<{{moments}}>" }, Ct)).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync("/api/configs/llm-settings/answer",
            new { model = "answer-model-edited", temperature = 0.7, maxTokens = 321 }, Ct)).EnsureSuccessStatusCode();
        chat.Received.Clear();

        var response = await client.PostAsJsonAsync("/api/ask", new { question = "Where is the dog?" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (messages, options) = Assert.Single(chat.Received);
        var prompt = Assert.Single(messages).Text;
        Assert.StartsWith("EDITED ASK. Q=Where is the dog? M=<", prompt);
        Assert.DoesNotContain("{{", prompt);
        Assert.Equal("answer-model-edited", options?.ModelId);
        Assert.Equal(0.7f, options?.Temperature);
        Assert.Equal(321, options?.MaxOutputTokens);
    }

    [Fact]
    public async Task An_empty_question_is_a_400()
    {
        var response = await (await SignInAsync()).PostAsJsonAsync("/api/ask", new { question = " " }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Semantic_search_is_accepted_with_an_embedding_model_and_health_lists_it()
    {
        var client = await SignInAsync();

        var response = await client.GetAsync("/api/search?q=colour%20bars&mode=semantic", Ct);
        var health = await client.GetFromJsonAsync<JsonElement>("/health", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var capabilities = health.GetProperty("checks").GetProperty("capabilities").GetProperty("data");
        Assert.NotEqual("none", capabilities.GetProperty("embeddings").GetString());
        Assert.NotEqual("none", capabilities.GetProperty("captions").GetString());
    }

    [Fact]
    public async Task The_admin_status_lists_the_configured_models_as_health_does()
    {
        var client = await SignInAsync();

        var status = await client.GetFromJsonAsync<JsonElement>("/api/admin/status", Ct);
        var health = await client.GetFromJsonAsync<JsonElement>("/health", Ct);

        var listed = status.GetProperty("capabilities");
        var reported = health.GetProperty("checks").GetProperty("capabilities").GetProperty("data");
        Assert.Equal(reported.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).Order(),
            listed.EnumerateObject().Select(p => (p.Name, p.Value.GetString())).Order());
        Assert.Equal(("configured", "configured"), (listed.GetProperty("embeddings").GetString(), listed.GetProperty("captions").GetString()));
    }

    private async Task<HttpClient> SignInAsync()
    {
        var client = factory.CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);
        var token = await login.Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }
}
