using Microsoft.EntityFrameworkCore;
using Veeky.Data;

namespace Veeky.Configs;

/// <summary><see cref="IConfigStore"/> over the database, one short-lived context per read so a singleton
/// (the indexer) can hold it without caching values across jobs.</summary>
public sealed class ConfigStore(IDbContextFactory<VeekyDbContext> contexts) : IConfigStore
{
    public async Task<Prompt?> GetPromptAsync(string name, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Prompts.AsNoTracking().FirstOrDefaultAsync(p => p.Name == name, ct);
    }

    public async Task<LlmSetting?> GetLlmSettingAsync(string purpose, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.LlmSettings.AsNoTracking().FirstOrDefaultAsync(s => s.Purpose == purpose, ct);
    }

    public async Task<string?> GetValueAsync(string key, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Configs.AsNoTracking().Where(c => c.Key == key).Select(c => c.Value).FirstOrDefaultAsync(ct);
    }

    public string Render(string template, IReadOnlyDictionary<string, string?> values) => PromptTemplate.Render(template, values);
}
