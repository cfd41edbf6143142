using Veeky.Search;

namespace Veeky.Tests.Search;

public sealed class VectorIndexTests
{
    private static readonly Guid Open = Guid.NewGuid();
    private static readonly Guid Hidden = Guid.NewGuid();
    private static readonly Guid VideoA = Guid.NewGuid();
    private static readonly Guid VideoB = Guid.NewGuid();

    [Fact]
    public void The_access_filter_applies_before_the_top_k_is_taken()
    {
        var index = new VectorIndex();
        index.Add(new VectorEntry(1, VideoA, Hidden, Unit(1, 0)));
        index.Add(new VectorEntry(2, VideoB, Open, Unit(1, 1)));

        // With k = 1 a post-filter would take row 1 (the best) and then drop it, returning nothing.
        var hits = index.Search(Unit(1, 0), 1, new VectorFilter(new HashSet<Guid> { Open }));

        Assert.Equal([2L], hits.Select(h => h.Id));
    }

    [Fact]
    public void Hits_come_best_first_with_their_cosine_similarity()
    {
        var index = new VectorIndex();
        index.Add(new VectorEntry(1, VideoA, Open, Unit(0, 1)));
        index.Add(new VectorEntry(2, VideoA, Open, Unit(1, 0)));
        index.Add(new VectorEntry(3, VideoA, Open, Unit(1, 1)));

        var hits = index.Search(Unit(1, 0), 3, new VectorFilter(null));

        Assert.Equal([2L, 3L, 1L], hits.Select(h => h.Id));
        Assert.Equal(1.0, hits[0].Score, 5);
        Assert.Equal(Math.Sqrt(0.5), hits[1].Score, 5);
        Assert.Equal(0.0, hits[2].Score, 5);
    }

    [Fact]
    public void Replacing_a_video_keeps_the_other_videos_rows_intact()
    {
        var index = new VectorIndex();
        for (var i = 0; i < 5000; i++)
        {
            index.Add(new VectorEntry(i, i % 2 == 0 ? VideoA : VideoB, Open, Unit(1, i)));
        }

        index.ReplaceVideo(VideoA, [new VectorEntry(-1, VideoA, Open, Unit(0, 1))]);

        Assert.Equal(2501, index.Count);
        var a = index.Search(Unit(1, 1), 10, new VectorFilter(null, VideoId: VideoA));
        Assert.Equal([-1L], a.Select(h => h.Id));
        var b = index.Search(Unit(1, 3), 5000, new VectorFilter(null, VideoId: VideoB));
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => 2L * i + 1).Order(), b.Select(h => h.Id).Order());
        Assert.Equal(1.0, b[0].Score, 5);
    }

    [Fact]
    public void A_vector_whose_largest_component_is_negative_keeps_its_direction_in_int8()
    {
        var vector = VectorIndex.Normalize([-0.9f, 0.3f, 0.1f, 0f])!;

        var code = QuantizedVector.From(vector);

        Assert.Equal([-127, 42, 14, 0], code.Codes.Select(c => (int)c));
        Assert.Equal(1.0, code.Scale * code.Scale * QuantizedVector.Dot(code.Codes, code.Codes), 2);
        Assert.Equal(code, QuantizedVector.FromBlob(code.ToBlob()) with { Codes = code.Codes });
        Assert.Equal(code.Codes, QuantizedVector.FromBlob(code.ToBlob()).Codes);
    }

    [Fact]
    public void The_int8_dot_product_equals_the_integer_sum_at_every_length()
    {
        var random = new Random(3);
        foreach (var length in new[] { 1, 15, 16, 17, 33, 384, 385 })
        {
            var a = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            var b = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();

            Assert.Equal(a.Zip(b, (x, y) => x * y).Sum(), QuantizedVector.Dot(a, b));
        }
    }

    [Fact]
    public void Moving_a_video_to_another_category_moves_its_rows()
    {
        var index = new VectorIndex();
        index.Add(new VectorEntry(1, VideoA, Open, Unit(1, 0)));

        index.SetCategory(VideoA, Hidden);

        Assert.Empty(index.Search(Unit(1, 0), 5, new VectorFilter(new HashSet<Guid> { Open })));
        Assert.Single(index.Search(Unit(1, 0), 5, new VectorFilter(null, CategoryId: Hidden)));
    }

    [Fact]
    public void A_query_of_another_dimension_finds_nothing_and_a_zero_vector_cannot_be_normalised()
    {
        var index = new VectorIndex();
        index.Add(new VectorEntry(1, VideoA, Open, Unit(1, 0)));

        Assert.Empty(index.Search(new float[3], 5, new VectorFilter(null)));
        Assert.Null(VectorIndex.Normalize(new float[4]));
        Assert.Null(VectorIndex.Normalize([float.NaN, 1]));
    }

    /// <summary>A normalised 8-dimension vector: x in the first dimension, y spread by a seed over the others.</summary>
    private static float[] Unit(float x, int y)
    {
        var vector = new float[8];
        vector[0] = x;
        if (y != 0)
        {
            vector[1 + Math.Abs(y) % 7] = 1;
        }
        return VectorIndex.Normalize(vector)!;
    }
}
