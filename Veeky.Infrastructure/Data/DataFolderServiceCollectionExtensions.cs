using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Veeky.Data;

/// <summary>The data folder and what every host keeps in it: <see cref="VeekyDataOptions"/> bound once and checked at
/// start, the folder made owner-only, and the one data-protection key ring the API and the UI share.</summary>
public static class DataFolderServiceCollectionExtensions
{
    /// <summary>What lets every host of one installation read the others' cookies and tokens: this name and the key
    /// ring in <c>{DataDirectory}/keys</c>.</summary>
    public const string DataProtectionApplicationName = "Veeky";

    /// <summary>Binds <see cref="VeekyDataOptions"/> once, however many parts of a host (core, API, UI) ask for it.</summary>
    public static IHostApplicationBuilder AddVeekyDataFolder(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(d => d.ServiceType == typeof(DataFolderMarker)))
        {
            return builder;
        }
        builder.Services.AddSingleton<DataFolderMarker>();
        builder.AddValidatedOptions<VeekyDataOptions>(VeekyDataOptions.Section);
        // Before any other hosted service opens or creates a file in the data folder.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OwnerOnlyDataFolder>());
        return builder;
    }

    /// <summary>The one data-protection setup of the API host, the UI-only host and the all-in-one host. Keys live with
    /// the data, so cookies and tokens survive a restart, and replicas sharing that folder read each other's.</summary>
    public static IHostApplicationBuilder AddVeekyDataProtection(this IHostApplicationBuilder builder)
    {
        builder.AddVeekyDataFolder();
        if (builder.Services.Any(d => d.ServiceType == typeof(DataProtectionMarker)))
        {
            return builder;
        }
        builder.Services.AddSingleton<DataProtectionMarker>();
        builder.Services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        // PersistKeysToFileSystem's own registration, with the folder from the validated options instead of a path
        // read from configuration while registering.
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
        {
            var keys = new DirectoryInfo(sp.GetRequiredService<IOptions<VeekyDataOptions>>().Value.KeysDirectory());
            var logs = sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            return new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = new FileSystemXmlRepository(keys, logs));
        });
        return builder;
    }

    private sealed class DataFolderMarker;

    private sealed class DataProtectionMarker;
}
