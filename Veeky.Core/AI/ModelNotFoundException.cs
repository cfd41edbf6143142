using System.Net;

namespace Veeky.AI;

/// <summary>The model server does not have the model; the message says which one and how to get it.</summary>
public sealed class ModelNotFoundException(string model, Uri endpoint, string serverMessage)
    : ModelServerException(
        $"Model \"{model}\" is not available on the Ollama server at {endpoint}: run \"ollama pull {model}\" there. (Ollama said: {serverMessage})",
        HttpStatusCode.NotFound)
{
    public string Model { get; } = model;
}
