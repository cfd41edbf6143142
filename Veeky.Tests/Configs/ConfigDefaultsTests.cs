using Microsoft.Extensions.Configuration;
using Veeky.Configs;

namespace Veeky.Tests.Configs;

/// <summary>The first start's LLM settings follow the models the deployment's connection strings name, so segments and
/// queries are embedded by the same model from the start.</summary>
public sealed class ConfigDefaultsTests
{
    private static IReadOnlyDictionary<string, string> Models(IDictionary<string, string?> settings) =>
        ConfigDefaults.LlmSettings(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .ToDictionary(s => s.Purpose, s => s.Model);

    [Fact]
    public void Models_named_by_the_connection_strings_are_the_defaults()
    {
        var models = Models(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ollama-chat"] = "Endpoint=http://ollama:11434;Model=qwen2.5",
            ["ConnectionStrings:ollama-vision"] = "Endpoint=http://ollama:11434;Model=qwen2.5vl",
            ["ConnectionStrings:ollama-embed"] = "Endpoint=http://ollama:11434;Model=nomic-embed-text",
            ["ConnectionStrings:whisper"] = "Endpoint=http://whisper:8000;Model=Systran/faster-whisper-small",
        });

        Assert.Equal("qwen2.5vl", models[LlmPurposes.Caption]);
        Assert.Equal("qwen2.5", models[LlmPurposes.Keywords]);
        Assert.Equal("qwen2.5", models[LlmPurposes.Answer]);
        Assert.Equal("nomic-embed-text", models[LlmPurposes.Embedding]);
        Assert.Equal("Systran/faster-whisper-small", models[LlmPurposes.Transcription]);
    }

    [Fact]
    public void Captions_fall_back_to_the_chat_model_and_unnamed_models_to_ollamas_usual_names()
    {
        var models = Models(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ollama-chat"] = "Endpoint=http://ollama:11434;Model=gemma3",
        });

        Assert.Equal("gemma3", models[LlmPurposes.Caption]);
        Assert.Equal("all-minilm", models[LlmPurposes.Embedding]);
        Assert.Equal("llava", Models(new Dictionary<string, string?>())[LlmPurposes.Caption]);
    }
}
