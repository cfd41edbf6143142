using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Veeky.Data;
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
        builder.AddVeekyData();
        builder.AddVeekySearch();
        return builder;
    }
}
