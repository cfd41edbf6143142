using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
/// <remarks>Each model and the transcriber is optional (null when not configured); captions come from the vision model,
/// or the chat model when no vision model is set.</remarks>
public sealed class CapabilitiesHealthCheck(
    ITranscriber? transcriber = null,
    [FromKeyedServices(AIServiceKeys.Vision)] IChatClient? vision = null,
    IChatClient? chat = null,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
    [FromKeyedServices(AIServiceKeys.ImageEmbeddings)] IEmbeddingGenerator<DataContent, Embedding<float>>? imageEmbeddings = null)
    : IHealthCheck
{
    public const string Name = "capabilities";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var media = ProcessRunner.IsAvailable("ffmpeg") && ProcessRunner.IsAvailable("ffprobe");
        var data = new Dictionary<string, object>
        {
            ["media"] = media ? "ffmpeg" : "missing",
            ["transcription"] = transcriber?.Name ?? "none",
            ["ocr"] = ProcessRunner.IsAvailable("tesseract") ? "tesseract" : "none",
            ["captions"] = (vision ?? chat) is null ? "none" : "configured",
            ["embeddings"] = embeddings is null ? "none" : "configured",
            ["imageEmbeddings"] = imageEmbeddings is null ? "none" : "configured",
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
        // Also a service of its own: the admin status endpoint reports the same capabilities.
        builder.Services.TryAddTransient<CapabilitiesHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<CapabilitiesHealthCheck>(CapabilitiesHealthCheck.Name);
        return builder;
    }
}
