using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>A model that cannot answer fails the Enrich stage with the model's own message, under the job's retry rules.</summary>
public sealed class EnrichFailureTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_missing_vision_model_fails_the_enrich_attempt_with_the_pull_hint_and_nothing_is_indexed()
    {
        Requires.Tools([.. SampleVideoGenerator.Tools, "tesseract", "pocketsphinx_continuous"]);
        await using var server = await FakeModelServer.StartAsync();
        server.Models.TryRemove("llava", out _);
        var endpoint = server.Endpoint.ToString().TrimEnd('/');
        await using var host = await IndexerHost.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:ollama-chat"] = $"Endpoint={endpoint};Model=llama3.2",
            ["ConnectionStrings:ollama-vision"] = $"Endpoint={endpoint};Model=llava",
        });
        var videoId = await host.AddVideoAsync(await SampleVideos.ScenesPathAsync());
        var ct = TestContext.Current.CancellationToken;

        var job = await host.Queue.TryClaimAsync("worker", Lease, ct);
        Assert.NotNull(job);
        await host.Worker.RunJobAsync(job, "worker", ct);

        var retried = await host.LoadJobAsync(videoId);
        Assert.Contains("llava", retried!.Error);
        Assert.Contains("pull", retried.Error);
        Assert.DoesNotContain(VideoStage.Enriching, retried.GetCompletedStages());
        Assert.Equal(1, host.Recorder.Runs(VideoStage.Enriching));
        Assert.Equal(0, host.Recorder.Runs(VideoStage.Indexing));
        Assert.Equal(VideoStatus.Processing, (await host.LoadVideoAsync(videoId))!.Status);
    }
}
