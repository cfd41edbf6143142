using System.Text.Json.Nodes;
using Veeky.AI;
using Veeky.Indexer.Enrichment;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Pipeline;

/// <summary>Keywords asked of the Ollama adapter on the fake server: normalised, and a broken JSON answer asked once more.</summary>
public sealed class EnrichKeywordExtractorTests : IAsyncLifetime
{
    private FakeModelServer _server = null!;
    private readonly SocketsHttpHandler _transport = new();

    public async ValueTask InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _transport.Dispose();
        await _server.DisposeAsync();
    }

    private KeywordExtractor Extractor() => new(OllamaModelClients.CreateChatClient(_server.Connection("llama3.2"), new OllamaChatClientOptions
    {
        Timeout = TimeSpan.FromSeconds(30),
        MaxRetryAttempts = 1,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    }, _transport), new EnrichmentOptions());

    private static FakeReply Answer(string content) => new(200, new JsonObject
    {
        ["model"] = "llama3.2",
        ["created_at"] = "2024-12-01T10:00:00Z",
        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
        ["done"] = true,
        ["done_reason"] = "stop",
    }.ToJsonString());

    [Fact]
    public void Keywords_are_short_lowercase_phrases_without_duplicates_and_at_most_ten()
    {
        string[] answered = ["Red Car", "red  car", "City Street.", "", "a phrase far too long to be a keyword", .. Enumerable.Range(1, 12).Select(i => $"k{i}")];

        var keywords = KeywordExtractor.Normalize(answered, 10);

        Assert.Equal(["red car", "city street", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8"], keywords);
    }

    [Fact]
    public async Task The_schema_is_sent_and_a_broken_json_answer_is_asked_again()
    {
        _server.Enqueue("/api/chat", Answer("Sure! Here are the keywords: red car"));

        var keywords = await Extractor().ExtractAsync(new PromptValues("Title", "a red car in a city street", null, null), TestContext.Current.CancellationToken);

        Assert.Equal(["red car", "city street"], keywords);
        var requests = _server.RequestsTo("/api/chat");
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("array",
            r.Json!.Value.GetProperty("format").GetProperty("properties").GetProperty("keywords").GetProperty("type").GetString()));
    }

    [Fact]
    public async Task Two_broken_answers_fail_with_what_the_model_said()
    {
        _server.Enqueue("/api/chat", Answer("not json"));
        _server.Enqueue("/api/chat", Answer("still not json"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            Extractor().ExtractAsync(new PromptValues("Title", "text", null, null), TestContext.Current.CancellationToken));

        Assert.Contains("still not json", error.Message);
        Assert.Equal(2, _server.RequestsTo("/api/chat").Count);
    }
}
