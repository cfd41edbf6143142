using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Veeky.AI;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI;

/// <summary>Model calls show up in traces as gen-ai spans.</summary>
public sealed class GenAITelemetryTests : IAsyncLifetime
{
    private FakeModelServer _server = null!;
    private readonly SocketsHttpHandler _transport = new();
    private readonly ConcurrentQueue<Activity> _spans = new();
    private ActivityListener? _listener;

    // A model name no other test uses, since a listener sees every test's spans.
    private const string Model = "telemetry-probe";

    public async ValueTask InitializeAsync()
    {
        _server = await FakeModelServer.StartAsync();
        _server.Models[Model] = true;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GenAITelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _spans.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async ValueTask DisposeAsync()
    {
        _listener?.Dispose();
        _transport.Dispose();
        await _server.DisposeAsync();
    }

    private IChatClient Chat() => OllamaModelClients.CreateChatClient(_server.Connection(Model), new OllamaChatClientOptions(), _transport);

    private List<Activity> Spans(string name) => _spans.Where(a => a.DisplayName == name).ToList();

    [Fact]
    public async Task A_chat_call_is_a_chat_span_with_model_usage_and_server()
    {
        await Chat().GetResponseAsync([new ChatMessage(ChatRole.User, "trace me")],
            new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 64 });

        var span = Assert.Single(Spans($"chat {Model}"));
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("chat", span.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(Model, span.GetTagItem("gen_ai.request.model"));
        Assert.Equal(Model, span.GetTagItem("gen_ai.response.model"));
        Assert.Equal(2, span.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(4, span.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(0.5f, span.GetTagItem("gen_ai.request.temperature"));
        Assert.Equal(64, span.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public async Task A_streamed_chat_reports_its_usage_when_the_stream_ends()
    {
        await foreach (var _ in Chat().GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "a b c")]))
        {
        }

        var span = Assert.Single(Spans($"chat {Model}"));
        Assert.Equal(3, span.GetTagItem("gen_ai.usage.input_tokens"));
    }

    [Fact]
    public async Task Each_embedding_batch_is_an_embeddings_span()
    {
        var generator = OllamaModelClients.CreateEmbeddingGenerator(_server.Connection(Model), new OllamaEmbeddingGeneratorOptions { BatchSize = 2 }, _transport);

        await generator.GenerateAsync(["a", "b", "c"]);

        var spans = Spans($"embeddings {Model}");
        Assert.Equal(2, spans.Count);
        Assert.All(spans, s => Assert.Equal("embeddings", s.GetTagItem("gen_ai.operation.name")));
    }

    [Fact]
    public async Task A_failed_call_marks_its_span_as_an_error()
    {
        _server.Models.TryRemove(Model, out _);

        await Assert.ThrowsAsync<ModelNotFoundException>(() =>
            Chat().GetResponseAsync([new ChatMessage(ChatRole.User, "x")]));

        var span = Assert.Single(Spans($"chat {Model}"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(ModelNotFoundException).FullName, span.GetTagItem("error.type"));
    }
}
