using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Processes;

namespace Veeky.Api.Health;

/// <summary>Which pipeline capabilities this installation has: a missing tool or model skips its stage, and this
/// check says so instead of leaving people to wonder why nothing was transcribed. Always healthy.</summary>
public sealed class CapabilitiesHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var data = new Dictionary<string, object>
        {
            ["transcription"] = ProcessRunner.IsAvailable("pocketsphinx_continuous") ? "pocketsphinx" : "none",
            ["ocr"] = ProcessRunner.IsAvailable("tesseract") ? "tesseract" : "none",
            ["captions"] = services.GetService<IChatClient>() is null ? "none" : "ollama-vision",
            ["embeddings"] = services.GetService<IEmbeddingGenerator<string, Embedding<float>>>() is null ? "none" : "ollama-embed",
        };
        return Task.FromResult(HealthCheckResult.Healthy("Pipeline capabilities", data));
    }
}
