using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Veeky.Import;
using Veeky.Indexer.Media;
using Veeky.Indexer.Pipeline;
using Veeky.Indexer.Speech;
using Veeky.Indexer.Stages;
using Veeky.Indexer.Text;
using Veeky.Indexer.Worker;
using Veeky.Jobs;
using Veeky.Processes;
using Veeky.Speech;

namespace Veeky.Indexer;

/// <summary>Registers the indexing pipeline and its worker, for the Indexer host or in-process in the all-in-one host.</summary>
public static class IndexerServiceCollectionExtensions
{
    /// <summary>Stages, runner, worker, tools and their options (<c>Veeky:Indexer:*</c>, validated at start).
    /// Call after <c>AddVeekyCore()</c>.</summary>
    public static IHostApplicationBuilder AddVeekyIndexer(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.AddValidatedOptions<IndexerOptions>(IndexerOptions.Section);
        builder.AddValidatedOptions<SceneDetectionOptions>(SceneDetectionOptions.Section);
        builder.AddValidatedOptions<KeyframeOptions>(KeyframeOptions.Section);
        builder.AddValidatedOptions<TranscriptionOptions>(TranscriptionOptions.Section);
        builder.AddValidatedOptions<TextReadingOptions>(TextReadingOptions.Section);
        builder.AddValidatedOptions<ImportOptions>(ImportOptions.Section);

        services.AddSingleton<StageDatabase>();
        services.AddSingleton<SceneDetector>();
        services.AddSingleton<KeyframeExtractor>();
        services.AddSingleton<AudioExtractor>();
        services.AddSingleton<TesseractOcr>();

        // Speech: a recogniser registered earlier (the Whisper server) wins; then Whisper.net when a model file is
        // configured; otherwise pocketsphinx when it is installed.
        builder.AddValidatedOptions<WhisperNetOptions>(WhisperNetOptions.Section);
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{WhisperNetOptions.Section}:{nameof(WhisperNetOptions.ModelPath)}"]))
        {
            services.TryAddSingleton<ITranscriber, WhisperNetTranscriber>();
        }
        var pocketSphinx = builder.Configuration[$"{TranscriptionOptions.Section}:{nameof(TranscriptionOptions.PocketSphinxPath)}"]
            ?? new TranscriptionOptions().PocketSphinxPath;
        if (ProcessRunner.IsAvailable(pocketSphinx))
        {
            services.TryAddSingleton<ITranscriber, PocketSphinxTranscriber>();
        }

        // The pipeline, in order; adding a stage is one class and one line here.
        services.AddSingleton<IPipelineStage, DownloadStage>();
        services.AddSingleton<IPipelineStage, ProbeStage>();
        services.AddSingleton<IPipelineStage, DetectScenesStage>();
        services.AddSingleton<IPipelineStage, ExtractKeyframesStage>();
        services.AddSingleton<IPipelineStage, TranscribeStage>();
        services.AddSingleton<IPipelineStage, ReadTextStage>();
        services.AddSingleton<IPipelineStage, EnrichStage>();
        services.AddSingleton<IPipelineStage, IndexStage>();
        services.AddSingleton<PipelineRunner>();

        // Before the worker: jobs this host's crashed earlier process still leases are claimable by its first poll.
        services.AddHostedService<CrashedWorkerJobReclaimer>();
        services.AddSingleton<IndexerWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<IndexerWorker>());
        services.AddHostedService<QueueDepthSampler>();
        return builder;
    }

}
