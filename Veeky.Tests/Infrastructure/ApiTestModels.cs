using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Veeky.Tests.Infrastructure;

/// <summary>A test-only chat model: answers every question with a fixed sentence citing moment [1].</summary>
public sealed class ApiTestOnlyChatClient : IChatClient
{
    public const string Answer = "The clip shows colour bars [1].";

    /// <summary>Every call's messages and options, in order, so tests can see what the API asked.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Received { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Received.Enqueue((messages.ToList(), options));
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>A test-only embedding model: a deterministic 8-dimension vector from the characters of the text.</summary>
public sealed class ApiTestOnlyEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var embeddings = values.Select(text =>
        {
            var vector = new float[8];
            foreach (var c in text)
            {
                vector[c % 8] += 1;
            }
            return new Embedding<float>(vector);
        });
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>An <see cref="ApiFactory"/> with the test-only chat and embedding models registered.</summary>
public sealed class ApiWithModelsFactory : ApiFactory
{
    protected override void ConfigureTestServices(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IChatClient, ApiTestOnlyChatClient>();
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, ApiTestOnlyEmbeddingGenerator>();
        });
}
