using Veeky.Jobs;
using Veeky.Tests.Infrastructure;
using Veeky.Tests.Pipeline;

namespace Veeky.Tests.Jobs;

/// <summary>A host that crashed and is started again picks its dead jobs up at once, not after their leases run out.</summary>
public sealed class RestartReclaimTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_restarted_host_resumes_the_job_its_crashed_predecessor_held_without_waiting_out_the_lease()
    {
        // The clock stands still: the lease can never run out, so only the reclaim at start can free the job.
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await IndexerHost.CreateAsync(clock);
        using var folder = new TempFolder("veeky-restart");
        var source = folder.File("source.mp4");
        await File.WriteAllBytesAsync(source, [0, 0, 0, 24], TestContext.Current.CancellationToken);
        var videoId = await host.AddVideoAsync(source);
        using var ended = System.Diagnostics.Process.Start("true")!;
        await ended.WaitForExitAsync(TestContext.Current.CancellationToken);
        var crashedWorker = $"{WorkerIdentity.Current.Host}/{ended.Id}/0badc0de/0";
        Assert.NotNull(await host.Queue.TryClaimAsync(crashedWorker, Lease, TestContext.Current.CancellationToken));

        await host.StartAsync();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await host.LoadJobAsync(videoId))!.Attempts < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the restarted host did not take the job back");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.NotEqual(crashedWorker, (await host.LoadJobAsync(videoId))!.LeaseOwner);
    }
}
