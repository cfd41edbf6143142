using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Pipeline;

public sealed class PipelineHealthCheckTests
{
    [Fact]
    public async Task Health_lists_the_installed_tools_and_the_missing_models()
    {
        Requires.Tools("ffmpeg", "ffprobe", "tesseract", "pocketsphinx_continuous");
        await using var host = await IndexerHost.CreateAsync();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);

        var pipeline = report.Entries["pipeline"];
        Assert.Equal(HealthStatus.Healthy, pipeline.Status);
        Assert.Equal("tesseract", pipeline.Data["ocr"]);
        Assert.Equal("pocketsphinx", pipeline.Data["speech"]);
        Assert.Equal("none", pipeline.Data["chat"]);
    }
}
