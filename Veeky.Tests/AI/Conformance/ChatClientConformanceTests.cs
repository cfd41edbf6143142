using System.Text.Json;
using Microsoft.Extensions.AI;
using Veeky.AI;

namespace Veeky.Tests.AI.Conformance;

/// <summary>What Veeky relies on from any <see cref="IChatClient"/> it is given; run against the fake server always
/// and against a real Ollama when one is configured. Assertions hold for any sensible model's answer.</summary>
public abstract class ChatClientConformanceTests
{
    /// <summary>A client for a model the server has; skips the test when the server is not configured.</summary>
    protected abstract Task<IChatClient> CreateClientAsync();

    [Fact]
    public async Task A_short_question_gets_text_a_model_id_a_finish_reason_and_usage()
    {
        var client = await CreateClientAsync();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Reply with the single word: pong")],
            new ChatOptions { Temperature = 0, MaxOutputTokens = 20 });

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.False(string.IsNullOrWhiteSpace(response.ModelId));
        Assert.NotNull(response.FinishReason);
        Assert.True(response.Usage?.OutputTokenCount > 0);
    }

    [Fact]
    public async Task A_streamed_answer_adds_up_to_a_whole_one_and_ends_with_usage()
    {
        var client = await CreateClientAsync();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Count from one to five in words.")],
                           new ChatOptions { Temperature = 0, MaxOutputTokens = 40 }))
        {
            updates.Add(update);
        }

        Assert.True(updates.Count > 1, "a streamed answer comes in pieces");
        Assert.False(string.IsNullOrWhiteSpace(updates.ToChatResponse().Text));
        Assert.NotNull(updates[^1].FinishReason);
        Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>());
    }

    [Fact]
    public async Task Structured_output_is_json_that_follows_the_schema()
    {
        var client = await CreateClientAsync();
        var schema = JsonDocument.Parse("""
            {"type":"object","properties":{"keywords":{"type":"array","items":{"type":"string"}}},"required":["keywords"]}
            """).RootElement;

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Give two keywords for: a red car parked in a busy city street.")],
            new ChatOptions { Temperature = 0, ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "keywords") });

        var keywords = JsonDocument.Parse(response.Text).RootElement.GetProperty("keywords");
        Assert.Equal(JsonValueKind.Array, keywords.ValueKind);
        Assert.All(keywords.EnumerateArray(), k => Assert.Equal(JsonValueKind.String, k.ValueKind));
    }

    [Fact]
    public async Task Asking_for_a_model_the_server_lacks_says_which_and_how_to_get_it()
    {
        var client = await CreateClientAsync();

        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() =>
            client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ModelId = "veeky-no-such-model" }));

        Assert.Contains("ollama pull veeky-no-such-model", error.Message);
    }

    [Fact]
    public async Task A_cancelled_call_ends_as_cancelled()
    {
        var client = await CreateClientAsync();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task It_describes_itself_through_GetService()
    {
        var client = await CreateClientAsync();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata?.ProviderName);
        Assert.NotNull(metadata.ProviderUri);
    }
}
