using Veeky.Data;

namespace Veeky.Api.Startup;

/// <summary>Creates the first admin when no user exists, after <see cref="Veeky.Data.StorageInitializer"/> (registered
/// earlier by <c>AddVeekyCore</c>) has migrated the schema: before the server takes requests, or as soon as a database that was down at start answers.</summary>
public sealed class BootstrapAdminInitializer(
    IServiceScopeFactory scopes, StorageReadiness readiness, ILogger<BootstrapAdminInitializer> logger)
    : StorageDependentService(readiness, logger)
{
    protected override async Task RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BootstrapAdmin>().EnsureAsync(ct);
    }
}
