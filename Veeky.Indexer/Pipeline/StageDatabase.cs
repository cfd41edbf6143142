using Veeky.Data;

namespace Veeky.Indexer.Pipeline;

/// <summary>
/// Opens a fresh <see cref="VeekyDbContext"/> for each unit of work: stages run concurrently (audio beside video), and
/// a DbContext must never be shared between concurrent operations.
/// </summary>
public sealed class StageDatabase(DatabaseProvider provider)
{
    public VeekyDbContext Open() => new(provider.CreateOptions());
}
