using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Veeky.AI;
using Veeky.Processes;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.AI;

/// <summary>AddVeekyAI registers what the connection strings configure, reports it, and checks the servers answer.</summary>
public sealed class AIServiceCollectionExtensionsTests : IAsyncLifetime
{
    private FakeModelServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddSingleton<ProcessRunner>();
        builder.AddVeekyAI();
        return builder.Build();
    }

    private Dictionary<string, string?> Everything(string chatModel = "llama3.2") => new()
    {
        ["ConnectionStrings:ollama-chat"] = $"Endpoint={_server.Endpoint};Model={chatModel}",
        ["ConnectionStrings:ollama-embed"] = $"Endpoint={_server.Endpoint};Model=all-minilm",
        ["ConnectionStrings:image-embeddings"] = $"Endpoint={_server.Endpoint}",
        ["ConnectionStrings:whisper"] = $"Endpoint={_server.Endpoint};Model=whisper-1",
    };

    [Fact]
    public async Task Without_connection_strings_nothing_is_registered_and_health_says_so()
    {
        using var host = Build([]);

        Assert.Null(host.Services.GetKeyedService<IChatClient>(AIServiceKeys.Chat));
        Assert.Null(host.Services.GetKeyedService<IChatClient>(AIServiceKeys.Vision));
        Assert.Null(host.Services.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(host.Services.GetKeyedService<IEmbeddingGenerator<DataContent, Embedding<float>>>(AIServiceKeys.ImageEmbeddings));
        Assert.Null(host.Services.GetService<ITranscriber>());
        var capabilities = host.Services.GetRequiredService<AICapabilities>();
        Assert.False(capabilities.HasChat || capabilities.HasCaptions || capabilities.HasEmbeddings || capabilities.HasImageEmbeddings || capabilities.HasWhisper);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
    }

    [Fact]
    public async Task Each_connection_string_brings_its_adapter_and_vision_falls_back_to_the_chat_model()
    {
        using var host = Build(Everything());

        var chat = host.Services.GetRequiredKeyedService<IChatClient>(AIServiceKeys.Chat);
        var vision = host.Services.GetRequiredKeyedService<IChatClient>(AIServiceKeys.Vision);
        Assert.Equal("llama3.2", chat.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.Equal("llama3.2", vision.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.NotNull(chat.GetService<OllamaSharp.OllamaApiClient>());
        Assert.NotNull(host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<OllamaSharp.OllamaApiClient>());
        Assert.NotNull(host.Services.GetRequiredKeyedService<IEmbeddingGenerator<DataContent, Embedding<float>>>(AIServiceKeys.ImageEmbeddings)
            .GetService<OpenAIImageEmbeddingGenerator>());
        Assert.NotNull(host.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(AIServiceKeys.ImageEmbeddings)
            .GetService<OpenAIImageEmbeddingGenerator>());
        Assert.Equal("whisper", host.Services.GetRequiredService<ITranscriber>().Name);
        var capabilities = host.Services.GetRequiredService<AICapabilities>();
        Assert.True(capabilities.HasChat && capabilities.HasCaptions && capabilities.HasEmbeddings && capabilities.HasImageEmbeddings && capabilities.HasWhisper);

        var answer = await chat.GetResponseAsync([new ChatMessage(ChatRole.User, "wired")]);
        Assert.Equal("You said: wired", answer.Text);
    }

    [Fact]
    public async Task A_repeated_query_is_embedded_once_while_segments_always_reach_the_model()
    {
        using var host = Build(Everything());
        var queries = host.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(AIServiceKeys.QueryEmbeddings);
        var segments = host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

        var first = await queries.GenerateVectorAsync("red car at night");
        var second = await queries.GenerateVectorAsync("red car at night");
        Assert.Single(_server.RequestsTo("/api/embed"));
        Assert.Equal(first.ToArray(), second.ToArray());

        await segments.GenerateAsync(["red car at night"]);
        await segments.GenerateAsync(["red car at night"]);
        Assert.Equal(3, _server.RequestsTo("/api/embed").Count);
    }

    [Fact]
    public async Task A_repeated_image_search_query_is_embedded_once()
    {
        using var host = Build(Everything());
        var images = host.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(AIServiceKeys.ImageEmbeddings);

        await images.GenerateVectorAsync("a dog on a beach", new EmbeddingGenerationOptions { ModelId = "clip-vit" });
        await images.GenerateVectorAsync("a dog on a beach", new EmbeddingGenerationOptions { ModelId = "clip-vit" });

        Assert.Single(_server.RequestsTo("/v1/embeddings"));
    }

    [Fact]
    public void A_vision_connection_string_gives_captions_their_own_model()
    {
        var settings = Everything();
        settings["ConnectionStrings:ollama-vision"] = $"Endpoint={_server.Endpoint};Model=llava";
        using var host = Build(settings);

        Assert.Equal("llava", host.Services.GetRequiredKeyedService<IChatClient>(AIServiceKeys.Vision).GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.Equal("llama3.2", host.Services.GetRequiredKeyedService<IChatClient>(AIServiceKeys.Chat).GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    [Fact]
    public async Task Options_are_bound_from_configuration()
    {
        var settings = Everything();
        settings["Veeky:AI:Embeddings:BatchSize"] = "2";
        using var host = Build(settings);

        await host.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GenerateAsync(["a", "b", "c", "d", "e"]);

        Assert.Equal(3, _server.RequestsTo("/api/embed").Count);
    }

    [Fact]
    public async Task A_bad_setting_stops_the_host_at_start_with_the_setting_named()
    {
        var settings = Everything();
        settings["Veeky:AI:Embeddings:BatchSize"] = "0";
        using var host = Build(settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("BatchSize", error.Message);
    }

    [Fact]
    public async Task Health_is_healthy_when_every_server_answers_and_has_its_model()
    {
        using var host = Build(Everything());

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var ai = report.Entries["ai"];
        Assert.Equal(HealthStatus.Healthy, ai.Status);
        Assert.Equal("ok", ai.Data["chat"]);
        Assert.Equal("ok", ai.Data["whisper"]);
        Assert.Contains(_server.Requests, r => r.Path == "/api/tags");
    }

    [Fact]
    public async Task Health_is_degraded_and_says_what_to_pull_when_a_model_is_missing()
    {
        using var host = Build(Everything(chatModel: "qwen2.5"));

        var ai = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["ai"];

        Assert.Equal(HealthStatus.Degraded, ai.Status);
        Assert.Contains("ollama pull qwen2.5", ai.Description);
        Assert.Equal("ok", ai.Data["embeddings"]);
    }

    [Fact]
    public async Task Health_is_degraded_when_a_server_does_not_answer()
    {
        using var host = Build(Everything());
        await _server.DisposeAsync();

        var ai = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["ai"];

        Assert.Equal(HealthStatus.Degraded, ai.Status);
        Assert.Contains("does not answer", (string)ai.Data["chat"]);
    }

    [Fact]
    public async Task Health_names_each_endpoint_and_is_degraded_not_unhealthy_when_one_of_two_servers_is_down()
    {
        await using var down = await FakeModelServer.StartAsync();
        var downEndpoint = down.Endpoint;
        await down.DisposeAsync();
        var settings = Everything();
        settings["ConnectionStrings:whisper"] = $"Endpoint={downEndpoint};Model=whisper-1";
        settings["ConnectionStrings:ollama-vision"] = $"Endpoint={downEndpoint};Model=llava";
        using var host = Build(settings);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        var ai = report.Entries["ai"];
        Assert.Equal(HealthStatus.Degraded, ai.Status);
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal("ok", ai.Data["chat"]);
        Assert.Equal("ok", ai.Data["embeddings"]);
        Assert.Equal("ok", ai.Data["imageEmbeddings"]);
        Assert.Contains("does not answer", (string)ai.Data["whisper"]);
        Assert.Contains("does not answer", (string)ai.Data["vision"]);
        Assert.Equal(_server.Endpoint.ToString(), ai.Data["chatEndpoint"]);
        Assert.Equal(downEndpoint.ToString(), ai.Data["whisperEndpoint"]);
        Assert.Equal(downEndpoint.ToString(), ai.Data["visionEndpoint"]);
        Assert.Contains("whisper", ai.Description);
        Assert.DoesNotContain("chat:", ai.Description);
    }
}
