using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// Ollama for the distributed edition, without the community toolkit (not served here): the <c>ollama/ollama</c>
/// container with its HTTP port and a <c>/api/version</c> health check, a models volume, GPU access, and one child
/// resource per model that downloads it (<c>POST /api/pull</c>) once the server is up.
/// </summary>
public static class OllamaBuilderExtensions
{
    public const string Image = "ollama/ollama";

    /// <summary>An Ollama release known to serve the chat, vision and embedding endpoints Veeky calls.</summary>
    public const string Tag = "0.12.6";

    public static IResourceBuilder<OllamaResource> AddOllama(this IDistributedApplicationBuilder builder, [ResourceName] string name)
    {
        return builder.AddResource(new OllamaResource(name))
            .WithImage(Image, Tag)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: OllamaResource.DefaultPort, name: OllamaResource.HttpEndpointName)
            .WithHttpHealthCheck("/api/version", endpointName: OllamaResource.HttpEndpointName);
    }

    /// <summary>Keeps downloaded models in a named volume, so the next start does not fetch gigabytes again.</summary>
    public static IResourceBuilder<OllamaResource> WithDataVolume(this IResourceBuilder<OllamaResource> builder, string? name = null) =>
        builder.WithVolume(name ?? $"veeky-{builder.Resource.Name}-models", "/root/.ollama");

    /// <summary>Gives the container the NVIDIA GPUs (<c>--gpus all</c>); Docker refuses to start it on a machine
    /// without the NVIDIA container toolkit.</summary>
    public static IResourceBuilder<OllamaResource> WithGpuSupport(this IResourceBuilder<OllamaResource> builder) =>
        builder.WithContainerRuntimeArgs("--gpus", "all");

    /// <summary>A model the server must have. Once the server is healthy the model is pulled unless it is already
    /// there; the model resource turns healthy when <c>GET /api/tags</c> lists it.</summary>
    public static IResourceBuilder<OllamaModelResource> AddModel(this IResourceBuilder<OllamaResource> builder,
        [ResourceName] string name, string modelName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        var model = new OllamaModelResource(name, modelName, builder.Resource);
        var healthCheckKey = $"{name}_model_present";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new OllamaModelHealthCheck(model), failureStatus: null, tags: null));

        builder.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(builder.Resource, (@event, ct) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(model);
            // In the background: a download takes minutes and must not hold up the server's own ready event.
            _ = Task.Run(() => PullAsync(model, notifications, logger, ct), ct);
            return Task.CompletedTask;
        });

        return builder.ApplicationBuilder.AddResource(model)
            .WithParentRelationship(builder)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "OllamaModel",
                State = KnownResourceStates.Waiting,
                Properties = [new(CustomResourceKnownProperties.Source, modelName)],
            })
            .WithHealthCheck(healthCheckKey);
    }

    private static async Task PullAsync(OllamaModelResource model, ResourceNotificationService notifications, ILogger logger,
        CancellationToken ct)
    {
        try
        {
            var endpoint = model.Parent.PrimaryEndpoint.Url;
            using var http = new HttpClient { BaseAddress = new Uri(endpoint), Timeout = Timeout.InfiniteTimeSpan };
            if (await OllamaModelHealthCheck.IsPresentAsync(http, model, ct))
            {
                logger.LogInformation("{Model} is already on the server", model.ModelName);
            }
            else
            {
                await notifications.PublishUpdateAsync(model, state => state with { State = new("Downloading", KnownResourceStateStyles.Info) });
                logger.LogInformation("Pulling {Model}", model.ModelName);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pull")
                {
                    Content = JsonContent.Create(new { model = model.ModelName, stream = true }),
                };
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                // One JSON object per line: {"status":"pulling …","total":…,"completed":…}, ending with "success",
                // or {"error":"…"} when the model does not exist.
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
                var lastPercent = -1;
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    if (line.Length == 0) continue;
                    using var progress = JsonDocument.Parse(line);
                    var root = progress.RootElement;
                    if (root.TryGetProperty("error", out var error))
                    {
                        throw new InvalidOperationException($"Ollama could not pull {model.ModelName}: {error.GetString()}");
                    }
                    if (root.TryGetProperty("total", out var total) && root.TryGetProperty("completed", out var completed)
                        && total.GetInt64() > 0)
                    {
                        var percent = (int)(100 * completed.GetInt64() / total.GetInt64());
                        if (percent / 10 != lastPercent / 10)
                        {
                            lastPercent = percent;
                            logger.LogInformation("{Model}: {Percent} %", model.ModelName, percent);
                            await notifications.PublishUpdateAsync(model, state => state with
                            {
                                State = new($"Downloading {percent} %", KnownResourceStateStyles.Info),
                            });
                        }
                    }
                }
            }
            // Running lets the health check run; it reports healthy once the server lists the model.
            await notifications.PublishUpdateAsync(model, state => state with { State = new(KnownResourceStates.Running, KnownResourceStateStyles.Success) });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The AppHost is stopping.
        }
        catch (Exception ex)
        {
            logger.LogError("Pulling {Model} failed: {Error}", model.ModelName, ex.Message);
            await notifications.PublishUpdateAsync(model, state => state with { State = new(KnownResourceStates.FailedToStart, KnownResourceStateStyles.Error) });
        }
    }
}
