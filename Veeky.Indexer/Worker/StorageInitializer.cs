using Microsoft.Extensions.Hosting;
using Veeky.Data;
using Veeky.Search;

namespace Veeky.Indexer.Worker;

/// <summary>Brings the database schema and the search index up to date before the host's other services start
/// (both steps are idempotent, so every replica may run them).</summary>
public sealed class StorageInitializer(SchemaMigrator migrator, ISearchIndex searchIndex) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        await searchIndex.InitializeAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
