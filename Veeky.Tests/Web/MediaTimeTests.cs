using Veeky.Web.Components.Shared;

namespace Veeky.Tests.Web;

public sealed class MediaTimeTests
{
    [Theory]
    [InlineData(0, "00:00")]
    [InlineData(7.9, "00:07")]
    [InlineData(65, "01:05")]
    [InlineData(3599.99, "59:59")]
    [InlineData(3600, "1:00:00")]
    [InlineData(3725.4, "1:02:05")]
    [InlineData(36000, "10:00:00")]
    [InlineData(-3, "00:00")]
    [InlineData(double.NaN, "00:00")]
    public void Times_read_as_mm_ss_below_an_hour_and_h_mm_ss_from_an_hour_on(double seconds, string expected) =>
        Assert.Equal(expected, MediaTime.Format(seconds));

    [Fact]
    public void A_range_joins_start_and_end_with_an_en_dash() =>
        Assert.Equal("00:04–00:12", MediaTime.FormatRange(4.5, 12.25));

    [Theory]
    [InlineData(12.25, "12.25")]
    [InlineData(12.0, "12")]
    [InlineData(3.14159, "3.14")]
    public void A_seek_link_carries_seconds_in_invariant_culture(double seconds, string expected)
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal(expected, MediaTime.ToQueryValue(seconds));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task The_time_range_component_renders_both_ends()
    {
        var html = await Infrastructure.WebComponentRenderer.RenderAsync<TimeRange>(
            new Dictionary<string, object?> { ["Start"] = 3702.0, ["End"] = 3725.0 });
        Assert.Contains("<time>1:01:42</time>–<time>1:02:05</time>", html);
    }
}
