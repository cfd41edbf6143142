using Veeky.Search;

namespace Veeky.Tests.Search;

public sealed class HybridFusionTests
{
    [Fact]
    public void Min_max_maps_the_best_score_to_one_and_the_worst_to_the_floor()
    {
        Assert.Equal(1.0, HybridFusion.Normalize(10, 0, 10));
        Assert.Equal(0.5, HybridFusion.Normalize(5, 0, 10));
        Assert.Equal(HybridFusion.MinimumNormalizedScore, HybridFusion.Normalize(0, 0, 10));
        Assert.Equal(1.0, HybridFusion.Normalize(3, 3, 3));
    }

    [Fact]
    public void Weighted_mean_adds_normalised_scores_and_counts_a_missing_leg_as_zero()
    {
        FusionLeg words = new([new(1, 12.0), new(2, 7.0), new(3, 2.0)], 0.5);
        FusionLeg meaning = new([new(3, 0.9), new(4, 0.5), new(1, 0.1)], 0.5);

        var fused = HybridFusion.MinMaxWeightedMean([words, meaning]);

        // 1: (1 + 0.001) / 2; 2: 0.5 / 2; 3: (0.001 + 1) / 2; 4: 0.5 / 2 (min-max of 0.5 in [0.1, 0.9]).
        Assert.Equal(0.5005, Score(fused, 1), 6);
        Assert.Equal(0.25, Score(fused, 2), 6);
        Assert.Equal(0.5005, Score(fused, 3), 6);
        Assert.Equal(0.25, Score(fused, 4), 6);
        // Equal scores: the one ranked higher in some leg first, then the lower id.
        Assert.Equal([1L, 3L, 2L, 4L], fused.Select(f => f.Id));
    }

    [Fact]
    public void Weights_shift_the_balance_between_words_and_meaning()
    {
        FusionLeg words = new([new(1, 10.0), new(2, 1.0)], 0.8);
        FusionLeg meaning = new([new(2, 0.9), new(1, 0.2)], 0.2);

        var fused = HybridFusion.MinMaxWeightedMean([words, meaning]);

        Assert.Equal(1L, fused[0].Id);
        Assert.Equal(0.8 + 0.2 * 0.001, Score(fused, 1), 6);
        Assert.Equal(0.8 * 0.001 + 0.2, Score(fused, 2), 6);
    }

    [Fact]
    public void A_leg_that_found_nothing_does_not_dilute_the_others()
    {
        FusionLeg words = new([], 0.5);
        FusionLeg meaning = new([new(7, 0.4), new(8, 0.2)], 0.5);

        var fused = HybridFusion.MinMaxWeightedMean([words, meaning]);

        Assert.Equal(1.0, Score(fused, 7), 6);
    }

    [Fact]
    public void Reciprocal_rank_fusion_sums_weight_over_k_plus_rank()
    {
        FusionLeg words = new([new(1, 50.0), new(2, 40.0)], 1.0);
        FusionLeg meaning = new([new(2, 0.9), new(3, 0.8)], 1.0);

        var fused = HybridFusion.ReciprocalRank([words, meaning], rankConstant: 60);

        Assert.Equal(1.0 / 62 + 1.0 / 61, Score(fused, 2), 9);
        Assert.Equal(1.0 / 61, Score(fused, 1), 9);
        Assert.Equal(1.0 / 62, Score(fused, 3), 9);
        Assert.Equal([2L, 1L, 3L], fused.Select(f => f.Id));
    }

    [Fact]
    public void Fuse_uses_the_configured_method()
    {
        FusionLeg words = new([new(1, 50.0), new(2, 40.0)], 0.5);

        Assert.Equal(1.0, HybridFusion.Fuse([words], FusionMethod.MinMaxWeightedMean, 60)[0].Score, 9);
        Assert.Equal(0.5 / 61, HybridFusion.Fuse([words], FusionMethod.ReciprocalRank, 60)[0].Score, 9);
    }

    private static double Score(IReadOnlyList<ScoredId> fused, long id) => fused.Single(f => f.Id == id).Score;
}
