using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Veeky.Data;
using Veeky.Health;
using Veeky.Jobs;
using Veeky.Media;
using Veeky.Processes;
using Veeky.Progress;
using Veeky.Search;

namespace Veeky;

/// <summary>Registers what every Veeky host needs: options, database, search index, media store and tools.</summary>
public static class CoreServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddVeekyCore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<VeekyOptions>()
            .Bind(builder.Configuration.GetSection(VeekyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProcessRunner>();
        builder.Services.AddSingleton<IMediaProbe, FfprobeMediaProbe>();
        builder.Services.AddSingleton<IMediaStore, FileMediaStore>();
        builder.Services.AddSingleton<IProgressBroadcaster, InProcessProgressBroadcaster>();
        builder.Services.TryAddSingleton<JobSignal>();
        builder.AddVeekyData();
        builder.AddVeekySearch();
        // First hosted service: every later one (bootstrap admin, indexer worker) finds the schema up to date.
        builder.Services.AddHostedService<StorageInitializer>();
        builder.AddVeekyCapabilitiesCheck();
        return builder;
    }
}
