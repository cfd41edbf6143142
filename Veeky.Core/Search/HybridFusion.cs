namespace Veeky.Search;

/// <summary>
/// Combines the ranked lists of the BM25 leg and the vector legs into one list, best first.
/// </summary>
/// <remarks>
/// BM25 scores are unbounded and cosine similarities lie in [-1, 1], so raw scores cannot be added. The default is
/// what OpenSearch's <c>normalization-processor</c> does: min-max normalise each leg to [0, 1], then take the weighted
/// arithmetic mean, a hit missing from a leg counting 0 there. Reciprocal rank fusion ignores scores and uses ranks
/// only, which is steadier when one leg's score distribution is odd (a single hit, all ties).
/// </remarks>
public static class HybridFusion
{
    /// <summary>
    /// The normalised score of a leg's lowest hit. OpenSearch uses the same floor so that the weakest hit of a leg still
    /// counts for more than not being found by that leg at all.
    /// </summary>
    public const double MinimumNormalizedScore = 0.001;

    public static IReadOnlyList<ScoredId> Fuse(IReadOnlyList<FusionLeg> legs, FusionMethod method, int rankConstant) =>
        method switch
        {
            FusionMethod.ReciprocalRank => ReciprocalRank(legs, rankConstant),
            _ => MinMaxWeightedMean(legs),
        };

    /// <summary>Min-max normalisation of each leg, then the weighted arithmetic mean over the legs that found anything.</summary>
    public static IReadOnlyList<ScoredId> MinMaxWeightedMean(IReadOnlyList<FusionLeg> legs)
    {
        var active = legs.Where(l => l.Hits.Count > 0 && l.Weight > 0).ToList();
        var weightSum = active.Sum(l => l.Weight);
        var fused = new Dictionary<long, Accumulator>();
        foreach (var leg in active)
        {
            var min = leg.Hits.Min(h => h.Score);
            var max = leg.Hits.Max(h => h.Score);
            for (var rank = 0; rank < leg.Hits.Count; rank++)
            {
                var hit = leg.Hits[rank];
                var contribution = leg.Weight * Normalize(hit.Score, min, max) / weightSum;
                Accumulate(fused, hit.Id, contribution, rank);
            }
        }
        return Ranked(fused);
    }

    /// <summary>Reciprocal rank fusion: each leg adds weight / (k + rank), rank counted from 1.</summary>
    public static IReadOnlyList<ScoredId> ReciprocalRank(IReadOnlyList<FusionLeg> legs, int rankConstant)
    {
        var fused = new Dictionary<long, Accumulator>();
        foreach (var leg in legs.Where(l => l.Weight > 0))
        {
            for (var rank = 0; rank < leg.Hits.Count; rank++)
            {
                Accumulate(fused, leg.Hits[rank].Id, leg.Weight / (rankConstant + rank + 1), rank);
            }
        }
        return Ranked(fused);
    }

    /// <summary>Maps <paramref name="score"/> from [min, max] to [0.001, 1]; a leg whose hits all score alike gives 1.</summary>
    public static double Normalize(double score, double min, double max) =>
        max > min ? Math.Max(MinimumNormalizedScore, (score - min) / (max - min)) : 1.0;

    private static void Accumulate(Dictionary<long, Accumulator> fused, long id, double contribution, int rank)
    {
        fused[id] = fused.TryGetValue(id, out var current)
            ? new Accumulator(current.Score + contribution, Math.Min(current.BestRank, rank))
            : new Accumulator(contribution, rank);
    }

    // Ties go to the hit ranked higher in some leg, then to the lower id, so equal input always gives equal output.
    private static IReadOnlyList<ScoredId> Ranked(Dictionary<long, Accumulator> fused) =>
        fused.OrderByDescending(p => p.Value.Score)
            .ThenBy(p => p.Value.BestRank)
            .ThenBy(p => p.Key)
            .Select(p => new ScoredId(p.Key, p.Value.Score))
            .ToList();

    private readonly record struct Accumulator(double Score, int BestRank);
}

/// <summary>One leg's hits, best first, and its weight in the fusion.</summary>
public sealed record FusionLeg(IReadOnlyList<ScoredId> Hits, double Weight);

/// <summary>How hybrid search merges its legs.</summary>
public enum FusionMethod
{
    /// <summary>Min-max normalisation and weighted arithmetic mean (OpenSearch's normalization-processor).</summary>
    MinMaxWeightedMean,

    /// <summary>Reciprocal rank fusion.</summary>
    ReciprocalRank,
}
