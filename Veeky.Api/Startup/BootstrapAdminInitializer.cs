namespace Veeky.Api.Startup;

/// <summary>Creates the first admin when no user exists, after <see cref="Veeky.Data.StorageInitializer"/> (registered
/// earlier by <c>AddVeekyCore</c>) has migrated the schema and before the server takes requests.</summary>
public sealed class BootstrapAdminInitializer(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BootstrapAdmin>().EnsureAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
