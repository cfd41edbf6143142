using System.Text.Json;

namespace Veeky.Indexer.Enrichment;

/// <summary>
/// The embeddings Enrich computed, kept in the job's work folder until Index has written them: no schema change for
/// vectors the search index owns anyway, and a retried Index stage does not call the models again.
/// </summary>
public sealed record SegmentEmbeddings(Dictionary<int, float[]> Text, Dictionary<int, float[]> Image)
{
    public const string FileName = "embeddings.json";

    public static SegmentEmbeddings Empty() => new([], []);

    public async Task SaveAsync(string workFolder, CancellationToken ct)
    {
        Directory.CreateDirectory(workFolder);
        var path = Path.Combine(workFolder, FileName);
        var temporary = path + ".tmp";
        await using (var file = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(file, this, cancellationToken: ct);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>What Enrich left in <paramref name="workFolder"/>, or nothing when it computed no embeddings.</summary>
    public static async Task<SegmentEmbeddings> LoadAsync(string workFolder, CancellationToken ct)
    {
        var path = Path.Combine(workFolder, FileName);
        if (!File.Exists(path))
        {
            return Empty();
        }
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<SegmentEmbeddings>(file, cancellationToken: ct) ?? Empty();
    }
}
