using Microsoft.Extensions.DependencyInjection;
using Veeky.Progress;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Pipeline;

/// <summary>The <see cref="SampleVideos.Scenes"/> video indexed once by a running worker, shared by the tests that
/// check what the pipeline extracted. Indexing starts at the first test that asks for it (after its tool check).</summary>
public sealed class IndexedSampleFixture : IAsyncDisposable
{
    /// <summary>Far above the few seconds indexing takes; only a hang reaches it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly Lazy<Task<Video>> _indexed;
    private IndexerHost? _host;

    public IndexedSampleFixture() => _indexed = new Lazy<Task<Video>>(IndexAsync);

    /// <summary>Progress events seen while the sample was indexed, in order.</summary>
    public List<VideoProgressEvent> Events { get; } = [];

    public IndexerHost Host => _host ?? throw new InvalidOperationException("Call GetVideoAsync first.");

    /// <summary>The indexed video with its segments.</summary>
    public Task<Video> GetVideoAsync() => _indexed.Value;

    private async Task<Video> IndexAsync()
    {
        var sample = await SampleVideos.ScenesPathAsync();
        _host = await IndexerHost.CreateAsync();
        using var listening = new CancellationTokenSource(Patience);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = Task.Run(async () =>
        {
            await foreach (var e in _host.Services.GetRequiredService<IProgressBroadcaster>().SubscribeAsync(listening.Token))
            {
                lock (Events) Events.Add(e);
                if (e.Status is VideoStatus.Completed or VideoStatus.Failed) finished.TrySetResult();
            }
        });
        await Task.Delay(50);
        await _host.StartAsync();
        var videoId = await _host.AddVideoAsync(sample, "Scenes");
        await finished.Task.WaitAsync(Patience);
        await listening.CancelAsync();
        try { await subscription; } catch (OperationCanceledException) { }
        return await _host.LoadVideoAsync(videoId) ?? throw new InvalidOperationException("The video disappeared.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}

/// <summary>Test classes that read the one indexed sample share it, so it is indexed once per run.</summary>
[CollectionDefinition(Name)]
public sealed class IndexedSampleCollection : ICollectionFixture<IndexedSampleFixture>
{
    public const string Name = "indexed sample";
}
