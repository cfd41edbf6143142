using System.ComponentModel.DataAnnotations;

namespace Veeky.Search;

/// <summary>Settings under <c>Veeky:Search</c>: how hybrid search fuses its legs.</summary>
public sealed class SearchOptions
{
    public const string Section = "Veeky:Search";

    /// <summary>Min-max + weighted mean by default, as OpenSearch's normalization-processor, so both editions rank alike.</summary>
    public FusionMethod Fusion { get; set; } = FusionMethod.MinMaxWeightedMean;

    /// <summary>Weight of the BM25 leg. Equal to the semantic weight by default: neither exact words nor meaning wins by fiat.</summary>
    [Range(0.0, 1.0)]
    public double TextWeight { get; set; } = 0.5;

    /// <summary>Weight of the leg comparing the query's text embedding with segment text embeddings.</summary>
    [Range(0.0, 1.0)]
    public double SemanticWeight { get; set; } = 0.5;

    /// <summary>
    /// Weight of the leg comparing the query's image-text embedding with keyframe embeddings. Lower by default because
    /// text-to-image similarities are small and close together, so their normalised differences are mostly noise.
    /// </summary>
    [Range(0.0, 1.0)]
    public double ImageWeight { get; set; } = 0.25;

    /// <summary>
    /// Hits each leg contributes before fusion (at least offset + limit). 50 leaves room for a hit ranked low by one leg
    /// and high by the other without making the BM25 leg sort much more than a page.
    /// </summary>
    [Range(1, 10_000)]
    public int CandidateCount { get; set; } = 50;

    /// <summary>
    /// SQLite only: how many of the best rows by the int8 codes each vector leg rescores with their float32 vectors (at
    /// least the leg's candidates). The codes put a query's true ten nearest among the first couple of hundred, so 200
    /// gives the exact float32 top ten (recall@10 of 0.98 or more) for about a millisecond of reading 300 KB.
    /// </summary>
    [Range(1, 10_000)]
    public int RescoredCandidates { get; set; } = 200;

    /// <summary>The k of reciprocal rank fusion; 60 is the value of the original paper and of OpenSearch.</summary>
    [Range(1, 10_000)]
    public int RankConstant { get; set; } = 60;
}
