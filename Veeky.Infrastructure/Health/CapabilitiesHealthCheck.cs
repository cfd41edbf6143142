using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Veeky.AI;
using Veeky.Processes;
using Veeky.Speech;

namespace Veeky.Health;

/// <summary>
/// The <c>capabilities</c> entry of <c>/health</c>: which pipeline capabilities this installation has. A missing
/// optional tool or model only skips its stage, and this says so instead of leaving people to wonder why nothing was
/// transcribed. ffmpeg and ffprobe are required (uploads are probed, videos decoded): without them it is unhealthy.
/// </summary>
public sealed class CapabilitiesHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string Name = "capabilities";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var media = ProcessRunner.IsAvailable("ffmpeg") && ProcessRunner.IsAvailable("ffprobe");
        var data = new Dictionary<string, object>
        {
            ["media"] = media ? "ffmpeg" : "missing",
            ["transcription"] = services.GetService<ITranscriber>()?.Name ?? "none",
            ["ocr"] = ProcessRunner.IsAvailable("tesseract") ? "tesseract" : "none",
            // Captions come from the vision model (the chat model when no vision model is set).
            ["captions"] = (services.GetKeyedService<IChatClient>(AIServiceKeys.Vision) ?? services.GetService<IChatClient>()) is null ? "none" : "configured",
            ["embeddings"] = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is null ? "none" : "configured",
            ["imageEmbeddings"] = services.GetKeyedService<IEmbeddingGenerator<DataContent, Embedding<float>>>(AIServiceKeys.ImageEmbeddings) is null
                ? "none" : "configured",
        };
        return Task.FromResult(media
            ? HealthCheckResult.Healthy("Pipeline capabilities", data)
            : HealthCheckResult.Unhealthy("ffmpeg and ffprobe are required to accept and index videos (scripts/setup.sh installs them).", data: data));
    }
}

/// <summary>Registers <see cref="CapabilitiesHealthCheck"/>.</summary>
public static class CapabilitiesHealthCheckExtensions
{
    public static IHostApplicationBuilder AddVeekyCapabilitiesCheck(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<CapabilitiesHealthCheck>(CapabilitiesHealthCheck.Name);
        return builder;
    }
}
