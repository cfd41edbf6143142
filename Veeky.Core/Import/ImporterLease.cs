namespace Veeky.Import;

/// <summary>Who runs a singleton importer (the watch folder) across replicas, until when; renewed while it runs.</summary>
public sealed class ImporterLease
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
