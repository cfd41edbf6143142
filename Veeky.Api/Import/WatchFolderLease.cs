using Microsoft.EntityFrameworkCore;
using Veeky.Data;
using Veeky.Import;

namespace Veeky.Api.Import;

/// <summary>
/// One watch-folder importer at a time across replicas (the distributed edition's API hosts): a row in
/// <c>ImporterLeases</c> that its holder renews at every poll and that another replica takes over once it is stale,
/// as indexing jobs are leased. Two importers on one folder would import each file twice.
/// </summary>
public sealed class WatchFolderLease(IDbContextFactory<VeekyDbContext> contexts, TimeProvider clock)
{
    private const string Name = "watch-folder";

    /// <summary>Takes or renews the lease for <paramref name="holder"/>; false while another holder's lease is fresh.</summary>
    public async Task<bool> TryHoldAsync(string holder, TimeSpan duration, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var until = now + duration;
        // One conditional UPDATE: no window between checking who holds it and taking it.
        var taken = await db.ImporterLeases.Where(l => l.Name == Name && (l.Holder == holder || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, holder).SetProperty(l => l.ExpiresAt, until), ct);
        if (taken > 0)
        {
            return true;
        }
        if (await db.ImporterLeases.AnyAsync(l => l.Name == Name, ct))
        {
            return false;
        }
        db.ImporterLeases.Add(new ImporterLease { Name = Name, Holder = holder, ExpiresAt = until });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // another replica inserted the row first: it holds the lease
        }
    }

    /// <summary>Lets the lease go at once (on shutdown), so another replica takes over at its next poll.</summary>
    public async Task ReleaseAsync(string holder, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var past = clock.GetUtcNow() - TimeSpan.FromSeconds(1);
        await db.ImporterLeases.Where(l => l.Name == Name && l.Holder == holder)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, past), ct);
    }
}
