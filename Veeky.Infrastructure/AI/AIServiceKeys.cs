namespace Veeky.AI;

/// <summary>Keys of the model services <see cref="AIServiceCollectionExtensions.AddVeekyAI"/> registers
/// (<c>[FromKeyedServices(AIServiceKeys.Vision)] IChatClient vision</c>).</summary>
public static class AIServiceKeys
{
    /// <summary>The text chat model (<c>ConnectionStrings:ollama-chat</c>): keywords, summaries, answers.</summary>
    public const string Chat = "chat";

    /// <summary>The vision model (<c>ConnectionStrings:ollama-vision</c>, else the chat model): captions.</summary>
    public const string Vision = "vision";

    /// <summary>The image embedding server (<c>ConnectionStrings:image-embeddings</c>), for images and for query text.</summary>
    public const string ImageEmbeddings = "image";

    /// <summary>The text embedding generator for search queries: the un-keyed one behind a distributed cache.</summary>
    public const string QueryEmbeddings = "query";

    /// <summary>The HttpClient name the adapters use; the adapters set their own timeouts per attempt.</summary>
    public const string HttpClientName = "veeky-ai";
}
