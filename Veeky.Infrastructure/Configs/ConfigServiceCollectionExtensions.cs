using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Veeky.Configs;

/// <summary>Registers the admin-edited configuration: the read store and the seeding of defaults.</summary>
public static class ConfigServiceCollectionExtensions
{
    /// <summary>Call after the storage initializer is registered: the seeder needs the migrated schema.</summary>
    public static IHostApplicationBuilder AddVeekyConfigs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IConfigStore, ConfigStore>();
        builder.Services.AddHostedService<ConfigSeeder>();
        return builder;
    }
}
