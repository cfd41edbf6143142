using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Veeky.AI;
using Veeky.Configs;
using Veeky.Data;
using Veeky.Health;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Processes;
using Veeky.Progress;
using Veeky.Redis;
using Veeky.Search;

namespace Veeky;

/// <summary>Registers what every Veeky host needs: options, database, search index, media store, tools, and the
/// models and Redis where their connection strings are set.</summary>
public static class CoreServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddVeekyCore(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<VeekyOptions>(VeekyOptions.Section);
        // Before any other hosted service opens or creates a file in the data folder: it makes the folder owner-only.
        builder.AddVeekyDataFolder();
        builder.Services.AddSingleton<ProcessRunner>();
        builder.Services.AddSingleton<IMediaProbe, FfprobeMediaProbe>();
        builder.Services.AddSingleton<IMediaStore, FileMediaStore>();
        builder.Services.AddSingleton<IProgressBroadcaster, InProcessProgressBroadcaster>();
        builder.Services.TryAddSingleton<JobSignal>();
        // Models before the indexer registers its fallbacks: a configured Whisper endpoint wins over pocketsphinx.
        builder.AddVeekyAI();
        builder.AddVeekyData();
        // The search index as SearchIndexComposition puts it together: spans, the Redis cache when configured, the index.
        builder.AddVeekySearch();
        // Redis, when configured: the search cache, and the progress fan-out instead of the in-process one.
        builder.AddVeekyRedis();
        // First hosted service: every later one (bootstrap admin, indexer worker) finds the schema up to date.
        builder.Services.AddSingleton<StorageReadiness>();
        builder.Services.AddSingleton<PostgresDatabaseCreator>();
        builder.Services.AddHostedService<StorageInitializer>();
        builder.Services.AddHostedService<MediaLeftoverCleaner>();
        // "ready" as Veeky.ServiceDefaults tags the checks /health reports and /alive leaves out.
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.AddVeekyConfigs();
        builder.AddVeekyCapabilitiesCheck();
        return builder;
    }
}
