using Microsoft.EntityFrameworkCore;
using Veeky.Data;

namespace Veeky.Indexer.Pipeline;

/// <summary>
/// A fresh <see cref="VeekyDbContext"/> from the host's context factory for each unit of work: stages run concurrently
/// (audio beside video), and a DbContext must never be shared between concurrent operations.
/// </summary>
public sealed class StageDatabase(IDbContextFactory<VeekyDbContext> contexts)
{
    public VeekyDbContext Open() => contexts.CreateDbContext();
}
