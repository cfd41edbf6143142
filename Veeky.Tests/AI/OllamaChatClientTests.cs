using System.Text.Json;
using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI;

/// <summary>Veeky's Ollama chat client (OllamaSharp behind Veeky's call rules) against a server that answers as Ollama's
/// API documentation shows.</summary>
public sealed class OllamaChatClientTests : IAsyncLifetime
{
    private FakeModelServer _server = null!;
    private readonly SocketsHttpHandler _transport = new();

    public async ValueTask InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _transport.Dispose();
        await _server.DisposeAsync();
    }

    private IChatClient Client(string model = "llama3.2", TimeSpan? timeout = null, int retries = 3) =>
        OllamaModelClients.CreateChatClient(_server.Connection(model), new OllamaChatClientOptions
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            MaxRetryAttempts = retries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        }, _transport);

    [Fact]
    public async Task A_question_gets_the_answer_with_model_usage_and_finish_reason()
    {
        var response = await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "hello there")]);

        Assert.Equal("You said: hello there", response.Text);
        Assert.Equal("llama3.2", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(2, response.Usage?.InputTokenCount);
        Assert.Equal(4, response.Usage?.OutputTokenCount);
        var sent = Assert.Single(_server.RequestsTo("/api/chat")).Json!.Value;
        Assert.Equal("llama3.2", sent.GetProperty("model").GetString());
        Assert.False(sent.GetProperty("stream").GetBoolean());
        Assert.Equal("user", sent.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.False(sent.TryGetProperty("format", out _));
    }

    [Fact]
    public async Task Images_travel_as_base64_on_their_own_message()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4];
        var message = new ChatMessage(ChatRole.User, [new TextContent("What is in this keyframe?"), new DataContent(jpeg, "image/jpeg")]);

        var response = await Client("llava").GetResponseAsync([new ChatMessage(ChatRole.System, "Describe images."), message]);

        Assert.StartsWith("I see 1 image(s).", response.Text);
        var messages = Assert.Single(_server.RequestsTo("/api/chat")).Json!.Value.GetProperty("messages");
        Assert.False(messages[0].TryGetProperty("images", out _));
        Assert.Equal("What is in this keyframe?", messages[1].GetProperty("content").GetString());
        Assert.Equal(Convert.ToBase64String(jpeg), messages[1].GetProperty("images")[0].GetString());
    }

    [Fact]
    public async Task A_json_schema_goes_out_as_format_and_the_answer_is_json_that_follows_it()
    {
        var schema = JsonDocument.Parse("""
            {"type":"object","properties":{"keywords":{"type":"array","items":{"type":"string"}}},"required":["keywords"]}
            """).RootElement;

        var response = await Client().GetResponseAsync(
            [new ChatMessage(ChatRole.User, "Keywords for: a red car in a city street")],
            new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "keywords") });

        var keywords = JsonDocument.Parse(response.Text).RootElement.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()).ToList();
        Assert.Equal(["red car", "city street"], keywords);
        var format = Assert.Single(_server.RequestsTo("/api/chat")).Json!.Value.GetProperty("format");
        Assert.Equal(JsonValueKind.Object, format.ValueKind);
        Assert.Equal("array", format.GetProperty("properties").GetProperty("keywords").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Plain_json_output_is_asked_for_with_format_json()
    {
        var response = await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "Answer in JSON")],
            new ChatOptions { ResponseFormat = ChatResponseFormat.Json });

        Assert.Equal("ok", JsonDocument.Parse(response.Text).RootElement.GetProperty("answer").GetString());
        Assert.Equal("json", Assert.Single(_server.RequestsTo("/api/chat")).Json!.Value.GetProperty("format").GetString());
    }

    [Fact]
    public async Task Temperature_output_limit_seed_and_model_override_reach_ollamas_options()
    {
        var response = await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "one two three four five")],
            new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 2, Seed = 42, ModelId = "llava" });

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal("You said:", response.Text);
        var sent = Assert.Single(_server.RequestsTo("/api/chat")).Json!.Value;
        Assert.Equal("llava", sent.GetProperty("model").GetString());
        var options = sent.GetProperty("options");
        Assert.Equal(0.2, options.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(2, options.GetProperty("num_predict").GetInt32());
        Assert.Equal(42, options.GetProperty("seed").GetInt64());
    }

    [Fact]
    public async Task Streaming_yields_each_line_as_it_comes_and_ends_with_usage()
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client().GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "stream this please")]))
        {
            updates.Add(update);
        }

        Assert.Equal(["You", " said:", " stream", " this", " please", ""], updates.Select(u => u.Text));
        Assert.All(updates[..^1], u => Assert.Null(u.FinishReason));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        var usage = Assert.Single(updates[^1].Contents.OfType<UsageContent>()).Details;
        Assert.Equal(3, usage.InputTokenCount);
        Assert.Equal(5, usage.OutputTokenCount);
        var whole = updates.ToChatResponse();
        Assert.Equal("You said: stream this please", whole.Text);
        Assert.True(Assert.Single(_server.RequestsTo("/api/chat")).Json!.Value.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task A_missing_model_is_reported_with_its_name_and_the_pull_command_and_not_retried()
    {
        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() =>
            Client("mistral-nemo").GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal("mistral-nemo", error.Model);
        Assert.Contains("ollama pull mistral-nemo", error.Message);
        Assert.Contains(_server.Endpoint.Authority, error.Message);
        Assert.Single(_server.RequestsTo("/api/chat"));
    }

    [Fact]
    public async Task A_server_error_is_retried_and_the_second_answer_is_used()
    {
        _server.Enqueue("/api/chat", new FakeReply(500, """{"error":"llama runner process has terminated"}"""));
        _server.Enqueue("/api/chat", new FakeReply(503, """{"error":"server busy"}"""));

        var response = await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "again")]);

        Assert.Equal("You said: again", response.Text);
        Assert.Equal(3, _server.RequestsTo("/api/chat").Count);
    }

    [Fact]
    public async Task Too_many_requests_is_retried()
    {
        _server.Enqueue("/api/chat", new FakeReply(429, """{"error":"server busy, please try again later"}"""));

        var response = await Client().GetResponseAsync([new ChatMessage(ChatRole.User, "busy")]);

        Assert.Equal("You said: busy", response.Text);
        Assert.Equal(2, _server.RequestsTo("/api/chat").Count);
    }

    [Fact]
    public async Task Server_errors_that_outlast_the_retries_surface_with_the_servers_message()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Enqueue("/api/chat", new FakeReply(500, """{"error":"llama runner process has terminated"}"""));
        }

        var error = await Assert.ThrowsAsync<ModelServerException>(() =>
            Client(retries: 2).GetResponseAsync([new ChatMessage(ChatRole.User, "again")]));

        Assert.Contains("llama runner process has terminated", error.Message);
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(3, _server.RequestsTo("/api/chat").Count);
    }

    [Fact]
    public async Task A_bad_request_is_not_retried()
    {
        _server.Enqueue("/api/chat", new FakeReply(400, """{"error":"invalid message format"}"""));

        var error = await Assert.ThrowsAsync<ModelServerException>(() =>
            Client().GetResponseAsync([new ChatMessage(ChatRole.User, "x")]));

        Assert.Contains("invalid message format", error.Message);
        Assert.Single(_server.RequestsTo("/api/chat"));
    }

    [Fact]
    public async Task A_server_that_is_down_is_retried_then_reported_as_unreachable()
    {
        var endpoint = _server.Endpoint;
        await _server.DisposeAsync();
        var client = OllamaModelClients.CreateChatClient(new ModelConnection(endpoint, "llama3.2"),
            new OllamaChatClientOptions { MaxRetryAttempts = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(10) }, _transport);

        var error = await Assert.ThrowsAsync<ModelServerException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "x")]));

        Assert.Contains("Could not reach", error.Message);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task An_answer_slower_than_the_timeout_fails_with_a_timeout_that_names_the_server()
    {
        _server.Enqueue("/api/chat", new FakeReply(200, "{}", Delay: TimeSpan.FromSeconds(30)));

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            Client(timeout: TimeSpan.FromMilliseconds(300)).GetResponseAsync([new ChatMessage(ChatRole.User, "slow")]));

        Assert.Contains(_server.Endpoint.Authority, error.Message);
        Assert.Contains("llama3.2", error.Message);
        // A model that took too long once will take too long again; retrying would only multiply the wait.
        Assert.Single(_server.RequestsTo("/api/chat"));
    }

    [Fact]
    public async Task Cancelling_a_slow_call_ends_it_as_cancelled_not_as_a_timeout()
    {
        _server.Enqueue("/api/chat", new FakeReply(200, "{}", Delay: TimeSpan.FromSeconds(30)));
        using var cancel = new CancellationTokenSource();
        var call = Client(timeout: TimeSpan.FromSeconds(60)).GetResponseAsync([new ChatMessage(ChatRole.User, "slow")], cancellationToken: cancel.Token);
        // Cancelled once the server has the request (a fixed delay could cancel it before it is even sent).
        Assert.True(await Veeky.Tests.Redis.Eventually.TrueAsync(() => Task.FromResult(_server.RequestsTo("/api/chat").Count == 1), TimeSpan.FromSeconds(15)));
        await cancel.CancelAsync();

        var error = await Record.ExceptionAsync(() => call);

        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.Single(_server.RequestsTo("/api/chat"));
    }

    [Fact]
    public async Task A_stream_that_stalls_past_the_timeout_fails_with_a_timeout()
    {
        _server.Enqueue("/api/chat", new FakeReply(200, "", Delay: TimeSpan.FromSeconds(30), ContentType: "application/x-ndjson"));

        await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var _ in Client(timeout: TimeSpan.FromMilliseconds(300)).GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "slow")]))
            {
            }
        });
    }

    [Fact]
    public async Task A_stream_that_stops_mid_answer_past_the_timeout_fails_with_a_timeout_that_names_the_server()
    {
        _server.StreamPause = TimeSpan.FromSeconds(30);
        var pieces = new List<string>();

        var error = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var update in Client(timeout: TimeSpan.FromMilliseconds(500)).GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "stuck here")]))
            {
                pieces.Add(update.Text);
            }
        });

        Assert.Equal(["You"], pieces);
        Assert.Contains(_server.Endpoint.Authority, error.Message);
        Assert.Contains("llama3.2", error.Message);
    }

    [Fact]
    public void Metadata_names_the_provider_endpoint_and_model()
    {
        IChatClient client = Client();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("ollama", metadata.ProviderName);
        Assert.Equal(_server.Endpoint, metadata.ProviderUri);
        Assert.Equal("llama3.2", metadata.DefaultModelId);
        Assert.NotNull(client.GetService<OllamaSharp.OllamaApiClient>());
        Assert.Null(client.GetService<ChatClientMetadata>("some key"));
    }

    [Fact]
    public async Task Without_a_model_anywhere_the_call_says_which_connection_string_to_fix()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Client(model: null!).GetResponseAsync([new ChatMessage(ChatRole.User, "x")]));

        Assert.Contains("ConnectionStrings:ollama-chat", error.Message);
        Assert.Empty(_server.Requests);
    }
}
