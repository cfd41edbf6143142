using Microsoft.Extensions.Hosting;
using Veeky.Search;

namespace Veeky.Data;

/// <summary>Brings the database schema and the search index up to date before the host's other services start:
/// hosted services start before Kestrel listens, so no request or job ever meets an old schema. Both steps are
/// idempotent, so every host and replica runs them.</summary>
public sealed class StorageInitializer(SchemaMigrator migrator, ISearchIndex searchIndex) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        await searchIndex.InitializeAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
