using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Pipeline;

/// <summary>The capabilities entry of /health as the indexer host sees it.</summary>
public sealed class CapabilitiesHealthCheckTests
{
    [Fact]
    public async Task Health_lists_the_installed_tools_and_the_missing_models()
    {
        Requires.Tools("ffmpeg", "ffprobe", "tesseract", "pocketsphinx_continuous");
        await using var host = await IndexerHost.CreateAsync();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        var capabilities = report.Entries["capabilities"];
        Assert.Equal(HealthStatus.Healthy, capabilities.Status);
        Assert.Equal("ffmpeg", capabilities.Data["media"]);
        Assert.Equal("tesseract", capabilities.Data["ocr"]);
        Assert.Equal("pocketsphinx", capabilities.Data["transcription"]);
        Assert.Equal("none", capabilities.Data["captions"]);
        Assert.Equal("none", capabilities.Data["embeddings"]);
    }
}
