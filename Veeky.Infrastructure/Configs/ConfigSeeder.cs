using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Veeky.Data;

namespace Veeky.Configs;

/// <summary>Adds the default prompts and LLM settings that are missing at start. Rows that exist are left alone,
/// so an admin's edits survive every restart; a deleted default comes back with its default value.</summary>
public sealed class ConfigSeeder(
    IServiceScopeFactory scopes, IConfiguration configuration, StorageReadiness readiness, ILogger<ConfigSeeder> logger)
    : StorageDependentService(readiness, logger)
{
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();

        var prompts = await db.Prompts.Select(p => p.Name).ToListAsync(cancellationToken);
        db.Prompts.AddRange(ConfigDefaults.Prompts().Where(p => !prompts.Contains(p.Name)));
        var settings = await db.LlmSettings.Select(s => s.Purpose).ToListAsync(cancellationToken);
        db.LlmSettings.AddRange(ConfigDefaults.LlmSettings(configuration).Where(s => !settings.Contains(s.Purpose)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another replica seeded the same rows a moment earlier; its rows are the defaults too.
        }
    }
}
