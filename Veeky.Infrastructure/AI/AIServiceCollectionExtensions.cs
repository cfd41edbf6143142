using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.Processes;
using Veeky.Speech;

namespace Veeky.AI;

/// <summary>Registers the model adapters for the connection strings that are set, and only those.</summary>
public static class AIServiceCollectionExtensions
{
    /// <summary>
    /// Reads <c>ConnectionStrings:ollama-chat</c>, <c>ollama-vision</c>, <c>ollama-embed</c>, <c>image-embeddings</c>
    /// and <c>whisper</c> and registers: keyed <see cref="IChatClient"/>s <see cref="AIServiceKeys.Chat"/> and
    /// <see cref="AIServiceKeys.Vision"/> (the chat model when no vision model is set); the text
    /// <see cref="IEmbeddingGenerator{String, Embedding}"/> un-keyed; the image embedding generators keyed
    /// <see cref="AIServiceKeys.ImageEmbeddings"/>; <see cref="ITranscriber"/> as Whisper; always
    /// <see cref="AICapabilities"/> and the "ai" health check. Call after AddVeekyCore, so Whisper wins over a
    /// transcriber registered there.
    /// </summary>
    public static IHostApplicationBuilder AddVeekyAI(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var chat = ModelConnection.FromConfiguration(configuration, "ollama-chat");
        var vision = ModelConnection.FromConfiguration(configuration, "ollama-vision") ?? chat;
        var embeddings = ModelConnection.FromConfiguration(configuration, "ollama-embed");
        var images = ModelConnection.FromConfiguration(configuration, "image-embeddings");
        var whisper = ModelConnection.FromConfiguration(configuration, "whisper");
        var capabilities = new AICapabilities(chat, vision, embeddings, images, whisper);
        services.AddSingleton(capabilities);

        // The adapters time each attempt themselves; the client's own 100 s default would cut a slow caption short.
        services.AddHttpClient(AIServiceKeys.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        // Query embeddings are cached here unless the host registered a shared cache (Redis) first.
        services.AddDistributedMemoryCache();
        builder.AddValidatedOptions<OllamaChatClientOptions>(OllamaChatClientOptions.Section);
        builder.AddValidatedOptions<OllamaEmbeddingGeneratorOptions>(OllamaEmbeddingGeneratorOptions.Section);
        builder.AddValidatedOptions<ImageEmbeddingGeneratorOptions>(ImageEmbeddingGeneratorOptions.Section);
        builder.AddValidatedOptions<WhisperTranscriberOptions>(WhisperTranscriberOptions.Section);

        if (chat is not null)
        {
            services.AddKeyedSingleton(AIServiceKeys.Chat, (sp, _) => CreateChatClient(sp, chat, "ollama-chat"));
            // Consumers that need "a chat model" (answers) resolve it without knowing the keys.
            services.AddSingleton(sp => sp.GetRequiredKeyedService<IChatClient>(AIServiceKeys.Chat));
        }
        if (vision is not null)
        {
            var name = vision == chat ? "ollama-chat" : "ollama-vision";
            services.AddKeyedSingleton(AIServiceKeys.Vision, (sp, _) => CreateChatClient(sp, vision, name));
        }
        if (embeddings is not null)
        {
            services.AddSingleton(sp => OllamaModelClients.CreateEmbeddingGenerator(embeddings,
                sp.GetRequiredService<IOptions<OllamaEmbeddingGeneratorOptions>>().Value, Transport(sp), sp.GetRequiredService<ILoggerFactory>()));
            // Queries repeat (the same words from many users, a question and its search); segments never do, so
            // only the query side is cached, over whichever text generator the host ends up with.
            services.AddKeyedSingleton(AIServiceKeys.QueryEmbeddings, (sp, _) =>
                new EmbeddingGeneratorBuilder<string, Embedding<float>>(sp.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>())
                    .UseDistributedCache(sp.GetRequiredService<IDistributedCache>(),
                        caching => caching.CacheKeyAdditionalValues = ["text", embeddings.Endpoint.AbsoluteUri, embeddings.Model ?? ""])
                    .Build(sp));
        }
        if (images is not null)
        {
            services.AddKeyedSingleton(AIServiceKeys.ImageEmbeddings, (sp, _) => new OpenAIImageEmbeddingGenerator(
                Http(sp), images, sp.GetRequiredService<IOptions<ImageEmbeddingGeneratorOptions>>().Value,
                sp.GetRequiredService<ILogger<OpenAIImageEmbeddingGenerator>>()));
            services.AddKeyedSingleton(AIServiceKeys.ImageEmbeddings, (sp, key) =>
                new EmbeddingGeneratorBuilder<DataContent, Embedding<float>>(sp.GetRequiredKeyedService<OpenAIImageEmbeddingGenerator>(key))
                    .UseOpenTelemetry(sp.GetRequiredService<ILoggerFactory>(), GenAITelemetry.SourceName)
                    .UseLogging(sp.GetRequiredService<ILoggerFactory>())
                    .Build(sp));
            // The text side embeds search queries only: cached.
            services.AddKeyedSingleton(AIServiceKeys.ImageEmbeddings, (sp, key) =>
                new EmbeddingGeneratorBuilder<string, Embedding<float>>(sp.GetRequiredKeyedService<OpenAIImageEmbeddingGenerator>(key))
                    .UseDistributedCache(sp.GetRequiredService<IDistributedCache>(),
                        caching => caching.CacheKeyAdditionalValues = ["image", images.Endpoint.AbsoluteUri, images.Model ?? ""])
                    .UseOpenTelemetry(sp.GetRequiredService<ILoggerFactory>(), GenAITelemetry.SourceName)
                    .UseLogging(sp.GetRequiredService<ILoggerFactory>())
                    .Build(sp));
        }
        if (whisper is not null)
        {
            services.AddSingleton<ITranscriber>(sp => new WhisperTranscriber(
                Http(sp), whisper, sp.GetRequiredService<IOptions<WhisperTranscriberOptions>>().Value,
                sp.GetRequiredService<ProcessRunner>(), sp.GetRequiredService<ILogger<WhisperTranscriber>>()));
        }

        services.AddHealthChecks().AddCheck<AIEndpointsHealthCheck>("ai", HealthStatus.Degraded, ["ai"]);
        return builder;
    }

    private static IChatClient CreateChatClient(IServiceProvider sp, ModelConnection connection, string connectionName) =>
        OllamaModelClients.CreateChatClient(connection, sp.GetRequiredService<IOptions<OllamaChatClientOptions>>().Value,
            Transport(sp), sp.GetRequiredService<ILoggerFactory>(), connectionName);

    /// <summary>The host's handler chain for model calls (service discovery, its telemetry), below Veeky's rules.</summary>
    private static HttpMessageHandler Transport(IServiceProvider sp) =>
        sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(AIServiceKeys.HttpClientName);

    private static HttpClient Http(IServiceProvider sp) =>
        sp.GetRequiredService<IHttpClientFactory>().CreateClient(AIServiceKeys.HttpClientName);
}
