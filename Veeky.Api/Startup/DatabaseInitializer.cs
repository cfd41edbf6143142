using Veeky.Data;
using Veeky.Search;

namespace Veeky.Api.Startup;

/// <summary>
/// Brings the stores up to date before the server takes requests: hosted services start before Kestrel listens, so
/// no request ever meets an old schema. Every step is idempotent: starting twice on the same data keeps it all.
/// </summary>
public sealed class DatabaseInitializer(IServiceScopeFactory scopes, SchemaMigrator migrator, ISearchIndex index) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await migrator.MigrateAsync(ct);
        await index.InitializeAsync(ct);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BootstrapAdmin>().EnsureAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
