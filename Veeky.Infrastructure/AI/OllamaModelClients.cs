using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OllamaSharp;

namespace Veeky.AI;

/// <summary>
/// Veeky's Ollama clients: OllamaSharp's <see cref="OllamaApiClient"/> (an <see cref="IChatClient"/> and an
/// <see cref="IEmbeddingGenerator{String, Embedding}"/>) on an HttpClient whose <see cref="ModelCallHandler"/> keeps
/// Veeky's timeout, retry and error rules, composed with Microsoft.Extensions.AI's builders: gen_ai spans and metrics
/// on <see cref="GenAITelemetry.SourceName"/> (<c>UseOpenTelemetry</c>) and call logging (<c>UseLogging</c>).
/// </summary>
public static class OllamaModelClients
{
    /// <param name="transport">The handler below Veeky's rules: the host's HttpClient handler, or a test's.</param>
    /// <param name="connectionName">Named in errors so the reader knows which connection string to fix.</param>
    public static IChatClient CreateChatClient(ModelConnection connection, OllamaChatClientOptions options,
        HttpMessageHandler transport, ILoggerFactory? loggerFactory = null, string connectionName = "ollama-chat")
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var ollama = new OllamaApiClient(CreateHttpClient(connection, options, transport, loggerFactory), connection.Model ?? "");
        return new ChatClientBuilder(ollama)
            .Use((messages, chatOptions, next, ct) =>
            {
                connection.RequireModel(chatOptions?.ModelId, connectionName);
                return next(messages, chatOptions, ct);
            })
            .UseOpenTelemetry(loggerFactory, GenAITelemetry.SourceName)
            .UseLogging(loggerFactory)
            .Build();
    }

    /// <param name="cache">Where repeated inputs' vectors are kept (query embeddings); null: every call asks the model.</param>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(ModelConnection connection,
        OllamaEmbeddingGeneratorOptions options, HttpMessageHandler transport, ILoggerFactory? loggerFactory = null,
        IDistributedCache? cache = null, string connectionName = "ollama-embed")
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var ollama = new OllamaApiClient(CreateHttpClient(connection, options, transport, loggerFactory), connection.Model ?? "");
        var builder = new EmbeddingGeneratorBuilder<string, Embedding<float>>(ollama);
        if (cache is not null)
        {
            // The call's options are in the key already; the server and default model tell two deployments apart.
            builder.UseDistributedCache(cache, caching => caching.CacheKeyAdditionalValues = ["ollama", connection.Endpoint.AbsoluteUri, connection.Model ?? ""]);
        }
        return builder
            .Use(inner => new EmbeddingBatches<string>(inner, options.BatchSize, connection, connectionName))
            .UseOpenTelemetry(loggerFactory, GenAITelemetry.SourceName)
            .UseLogging(loggerFactory)
            .Build();
    }

    private static HttpClient CreateHttpClient(ModelConnection connection, ModelCallOptions options, HttpMessageHandler transport,
        ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(OllamaModelClients));
        // The handler rules per attempt; HttpClient's own 100 s default would cut a slow caption short.
        return new HttpClient(new ModelCallHandler(connection, options, isOllama: true, logger) { InnerHandler = transport })
        {
            BaseAddress = connection.Resolve(""),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }
}
