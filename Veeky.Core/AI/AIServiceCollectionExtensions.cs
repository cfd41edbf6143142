using Microsoft.Extensions.AI;
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
        builder.AddValidatedOptions<OllamaChatClientOptions>(OllamaChatClientOptions.Section);
        builder.AddValidatedOptions<OllamaEmbeddingGeneratorOptions>(OllamaEmbeddingGeneratorOptions.Section);
        builder.AddValidatedOptions<ImageEmbeddingGeneratorOptions>(ImageEmbeddingGeneratorOptions.Section);
        builder.AddValidatedOptions<WhisperTranscriberOptions>(WhisperTranscriberOptions.Section);

        if (chat is not null)
        {
            services.AddKeyedSingleton<IChatClient>(AIServiceKeys.Chat, (sp, _) => CreateChatClient(sp, chat, "ollama-chat"));
            // Consumers that need "a chat model" (answers) resolve it without knowing the keys.
            services.AddSingleton<IChatClient>(sp => sp.GetRequiredKeyedService<IChatClient>(AIServiceKeys.Chat));
        }
        if (vision is not null)
        {
            var name = vision == chat ? "ollama-chat" : "ollama-vision";
            services.AddKeyedSingleton<IChatClient>(AIServiceKeys.Vision, (sp, _) => CreateChatClient(sp, vision, name));
        }
        if (embeddings is not null)
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => new OllamaEmbeddingGenerator(
                Http(sp), embeddings, sp.GetRequiredService<IOptions<OllamaEmbeddingGeneratorOptions>>().Value,
                sp.GetRequiredService<ILogger<OllamaEmbeddingGenerator>>()));
        }
        if (images is not null)
        {
            services.AddKeyedSingleton(AIServiceKeys.ImageEmbeddings, (sp, _) => new OpenAIImageEmbeddingGenerator(
                Http(sp), images, sp.GetRequiredService<IOptions<ImageEmbeddingGeneratorOptions>>().Value,
                sp.GetRequiredService<ILogger<OpenAIImageEmbeddingGenerator>>()));
            services.AddKeyedSingleton<IEmbeddingGenerator<DataContent, Embedding<float>>>(AIServiceKeys.ImageEmbeddings,
                (sp, key) => sp.GetRequiredKeyedService<OpenAIImageEmbeddingGenerator>(key));
            services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(AIServiceKeys.ImageEmbeddings,
                (sp, key) => sp.GetRequiredKeyedService<OpenAIImageEmbeddingGenerator>(key));
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


    private static OllamaChatClient CreateChatClient(IServiceProvider sp, ModelConnection connection, string connectionName) =>
        new(Http(sp), connection, sp.GetRequiredService<IOptions<OllamaChatClientOptions>>().Value,
            sp.GetRequiredService<ILogger<OllamaChatClient>>(), connectionName);

    private static HttpClient Http(IServiceProvider sp) =>
        sp.GetRequiredService<IHttpClientFactory>().CreateClient(AIServiceKeys.HttpClientName);
}
