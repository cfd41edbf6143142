using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Veeky.AppHost.Tests.Infrastructure;

namespace Veeky.AppHost.Tests;

/// <summary>
/// <c>WaitFor(model)</c> waits for the download: the health checks the AppHost registers for an Ollama model and for
/// the Whisper server report healthy only once the server lists the model. Checked against local stand-ins that answer
/// as Ollama (<c>GET /api/tags</c>) and speaches (<c>GET /v1/models</c>, <c>POST /v1/models/{id}</c>) document, since
/// CI has no container engine.
/// </summary>
public sealed class ModelDownloadTests
{
    [Fact]
    public async Task An_ollama_model_turns_healthy_only_once_the_server_lists_it()
    {
        var listed = new ConcurrentBag<string> { "all-minilm:latest" };
        await using var ollama = await StandInAsync(app => app.MapGet("/api/tags",
            () => Results.Json(new { models = listed.Select(name => new { name }) })));
        await using var appHost = await AppHostModel.BuildAsync("Veeky:AppHost:ChatModel=qwen2.5:0.5b");
        appHost.Allocate("ollama", "http", ollama.Port);

        var whileDownloading = await CheckAsync(appHost, "ollama-chat_model_present");
        listed.Add("qwen2.5:0.5b");
        var downloaded = await CheckAsync(appHost, "ollama-chat_model_present");
        var embeddings = await CheckAsync(appHost, "ollama-embed_model_present");

        Assert.Equal(HealthStatus.Unhealthy, whileDownloading.Status);
        Assert.Contains("qwen2.5:0.5b", whileDownloading.Description);
        Assert.Equal(HealthStatus.Healthy, downloaded.Status);
        Assert.Equal(HealthStatus.Healthy, embeddings.Status);
    }

    [Fact]
    public async Task The_whisper_server_downloads_a_missing_model_once_and_turns_healthy_when_it_is_listed()
    {
        const string model = "Systran/faster-whisper-tiny.en";
        var listed = new ConcurrentBag<string>();
        var pulls = new ConcurrentQueue<string>();
        await using var speaches = await StandInAsync(app =>
        {
            app.MapGet("/v1/models", () => Results.Json(new { data = listed.Select(id => new { id }) }));
            app.MapPost("/v1/models/{**id}", (string id) =>
            {
                pulls.Enqueue(id);
                listed.Add(id);
                return Results.Created();
            });
        });
        await using var appHost = await AppHostModel.BuildAsync($"Veeky:AppHost:WhisperModel={model}");
        appHost.Allocate("whisper", "http", speaches.Port);

        var first = await CheckAsync(appHost, "whisper_model_present");
        HealthReportEntry later;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            later = await CheckAsync(appHost, "whisper_model_present");
        }
        while (later.Status != HealthStatus.Healthy && DateTime.UtcNow < deadline);

        Assert.Equal(HealthStatus.Unhealthy, first.Status);
        Assert.Equal(HealthStatus.Healthy, later.Status);
        Assert.Equal([model], pulls);
    }

    private static async Task<HealthReportEntry> CheckAsync(AppHostModel appHost, string name)
    {
        var registration = appHost.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations
            .Single(r => r.Name == name);
        var check = registration.Factory(appHost.Services);
        var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration },
            TestContext.Current.CancellationToken);
        return new HealthReportEntry(result.Status, result.Description, TimeSpan.Zero, result.Exception, null);
    }

    private static async Task<StandIn> StandInAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new StandIn(app, address.Port);
    }

    private sealed record StandIn(WebApplication App, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }
}
