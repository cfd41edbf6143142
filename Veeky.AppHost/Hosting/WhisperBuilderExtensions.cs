using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>The Whisper server as a container: speaches' CPU image, its <c>/health</c> check, and a second check that
/// downloads the model when it is missing and turns healthy once the server lists it, so <c>WaitFor(whisper)</c>
/// waits for the download as it does for an Ollama model.</summary>
public static class WhisperBuilderExtensions
{
    public const string Image = "speaches-ai/speaches";

    public const string Tag = "0.8.3-cpu";

    public static IResourceBuilder<WhisperResource> AddWhisper(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, string modelName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        var whisper = new WhisperResource(name, modelName);
        var healthCheckKey = $"{name}_model_present";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, new WhisperModelHealthCheck(whisper), failureStatus: null, tags: null));
        return builder.AddResource(whisper)
            .WithImage(Image, Tag)
            .WithImageRegistry("ghcr.io")
            .WithHttpEndpoint(targetPort: WhisperResource.DefaultPort, name: WhisperResource.HttpEndpointName)
            .WithHttpHealthCheck("/health", endpointName: WhisperResource.HttpEndpointName)
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Keeps downloaded models (the Hugging Face cache) in a named volume between runs.</summary>
    public static IResourceBuilder<WhisperResource> WithDataVolume(this IResourceBuilder<WhisperResource> builder, string? name = null) =>
        builder.WithVolume(name ?? $"veeky-{builder.Resource.Name}-models", "/home/ubuntu/.cache/huggingface/hub");

    /// <summary>speaches loads only models it has downloaded: <c>GET /v1/models</c> lists them and
    /// <c>POST /v1/models/{id}</c> downloads one (at once when it is there). The first check that finds the model
    /// missing starts the download; the checks after it report healthy once it is listed.</summary>
    private sealed class WhisperModelHealthCheck(WhisperResource whisper) : IHealthCheck
    {
        private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };
        private Task? _download;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var endpoint = new Uri(whisper.PrimaryEndpoint.Url);
                using var listing = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var models = await Http.GetFromJsonAsync<JsonElement>(new Uri(endpoint, "/v1/models"), listing.Token);
                if (models.GetProperty("data").EnumerateArray().Any(m => m.GetProperty("id").GetString() == whisper.ModelName))
                {
                    return HealthCheckResult.Healthy();
                }
                if (_download is null or { IsFaulted: true })
                {
                    _download = Http.PostAsync(new Uri(endpoint, $"/v1/models/{whisper.ModelName}"), content: null, CancellationToken.None);
                }
                return HealthCheckResult.Unhealthy($"downloading {whisper.ModelName}", _download.Exception);
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or OperationCanceledException or JsonException or KeyNotFoundException)
            {
                return HealthCheckResult.Unhealthy($"Whisper did not answer: {ex.Message}", ex);
            }
        }
    }
}
