using Veeky.Indexer.Media;

namespace Veeky.Tests.Pipeline;

public sealed class SegmentPlannerTests
{
    [Fact]
    public void Cuts_closer_than_the_minimum_length_are_ignored_and_the_video_is_covered_end_to_end()
    {
        var spans = SegmentPlanner.Plan([3.2, 3.6, 8.2, 14.5], 15, minSeconds: 1.5, maxSeconds: 30);

        Assert.Equal([(0, 3.2), (3.2, 8.2), (8.2, 15)], spans);
    }

    [Fact]
    public void Scenes_longer_than_the_maximum_are_split_evenly()
    {
        var spans = SegmentPlanner.Plan([10], 100, minSeconds: 1.5, maxSeconds: 30);

        Assert.Equal([(0, 10), (10, 40), (40, 70), (70, 100)], spans);
    }

    [Fact]
    public void A_video_without_cuts_is_one_segment()
    {
        Assert.Equal([(0, 12.5)], SegmentPlanner.Plan([], 12.5, 1.5, 30));
    }
}
