using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Indexer.Text;
using Veeky.Processes;
using Veeky.Speech;

namespace Veeky.Indexer.Worker;

/// <summary>Reports in <c>/health</c> which pipeline capabilities are active: ffmpeg is required, OCR, speech and
/// models are optional and only listed (their stages are skipped without them).</summary>
public sealed class PipelineHealthCheck(IServiceProvider services, TesseractOcr ocr) : IHealthCheck
{
    public const string Name = "pipeline";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var media = ProcessRunner.IsAvailable("ffmpeg") && ProcessRunner.IsAvailable("ffprobe");
        var data = new Dictionary<string, object>
        {
            ["media"] = media ? "ffmpeg" : "missing",
            ["ocr"] = ocr.IsAvailable ? "tesseract" : "none",
            ["speech"] = services.GetService<ITranscriber>()?.Name ?? "none",
            ["chat"] = services.GetService<IChatClient>() is null ? "none" : "configured",
            ["embeddings"] = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is null ? "none" : "configured",
        };
        return Task.FromResult(media
            ? HealthCheckResult.Healthy("Indexing pipeline ready.", data)
            : HealthCheckResult.Unhealthy("ffmpeg and ffprobe are required to index videos (scripts/setup.sh installs them).", data: data));
    }
}
