using System.Collections.Concurrent;
using Veeky.AI;

namespace Veeky.Tests.Infrastructure;

/// <summary>
/// Real model servers named by environment variables, for the conformance suites: <c>VEEKY_TEST_OLLAMA</c> (base URL;
/// models from <c>VEEKY_TEST_OLLAMA_CHAT_MODEL</c>, default llama3.2, and <c>VEEKY_TEST_OLLAMA_EMBED_MODEL</c>, default
/// all-minilm) and <c>VEEKY_TEST_WHISPER</c> (base URL; <c>VEEKY_TEST_WHISPER_MODEL</c>, default whisper-1). Unset: the
/// test is skipped. Set but not answering: a failure under CI, a skip elsewhere.
/// </summary>
public static class RealModelEndpoints
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string?>>> Probes = new();

    public static Task<ModelConnection> OllamaChatAsync() => OllamaAsync("VEEKY_TEST_OLLAMA_CHAT_MODEL", "llama3.2");

    public static Task<ModelConnection> OllamaEmbedAsync() => OllamaAsync("VEEKY_TEST_OLLAMA_EMBED_MODEL", "all-minilm");

    public static async Task<ModelConnection> WhisperAsync()
    {
        var endpoint = await RequireAsync("VEEKY_TEST_WHISPER", "");
        // VEEKY_TEST_WHISPER_MODEL may instead name a ggml file for Whisper.net; a server is then asked for its default.
        var model = Environment.GetEnvironmentVariable("VEEKY_TEST_WHISPER_MODEL");
        return new ModelConnection(endpoint, model is null || File.Exists(model) ? "whisper-1" : model);
    }

    private static async Task<ModelConnection> OllamaAsync(string modelVariable, string defaultModel)
    {
        var endpoint = await RequireAsync("VEEKY_TEST_OLLAMA", "api/tags");
        return new ModelConnection(endpoint, Environment.GetEnvironmentVariable(modelVariable) ?? defaultModel);
    }

    private static async Task<Uri> RequireAsync(string variable, string probePath)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Skip($"Set {variable} to a server's base URL to run this against a real model.");
        }
        var endpoint = new Uri(value);
        var problem = await Probes.GetOrAdd(variable, _ => new Lazy<Task<string?>>(() => ProbeAsync(new ModelConnection(endpoint, null).Resolve(probePath)))).Value;
        if (problem is not null)
        {
            Requires.Unavailable($"{variable}={value} does not answer: {problem}");
        }
        return endpoint;
    }

    private static async Task<string?> ProbeAsync(Uri uri)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(uri);
            return (int)response.StatusCode < 500 ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ex.Message;
        }
    }
}
