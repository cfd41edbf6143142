namespace Veeky.AI;

/// <summary>Settings of the Ollama chat clients (<see cref="OllamaModelClients.CreateChatClient"/>) (section <c>Veeky:AI:Chat</c>).</summary>
/// <remarks>Timeout 120 s: a CPU-only vision model can take a minute for a caption when it first loads.</remarks>
public sealed class OllamaChatClientOptions() : ModelCallOptions(TimeSpan.FromSeconds(120))
{
    public const string Section = "Veeky:AI:Chat";
}
