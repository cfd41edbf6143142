using Veeky.Tests.Infrastructure;
using Veeky.Web.Components.Shared;

namespace Veeky.Tests.Web;

public sealed class StatusBadgeTests
{
    private static Task<string> RenderAsync(string status, string? stage = null, double progress = 0) =>
        WebComponentRenderer.RenderAsync<StatusBadge>(new Dictionary<string, object?>
        {
            ["Status"] = status,
            ["Stage"] = stage,
            ["Progress"] = progress,
        });

    [Fact]
    public async Task A_processing_video_shows_its_stage_and_percentage()
    {
        var html = await RenderAsync("Processing", "DetectingScenes", 0.425);
        Assert.Contains("badge--processing", html);
        Assert.Contains(">Detecting scenes 43%<", html);
    }

    [Theory]
    [InlineData("Completed", "badge--completed", ">Ready<")]
    [InlineData("Pending", "badge--pending", ">Queued<")]
    [InlineData("Failed", "badge--failed", ">Failed<")]
    public async Task Each_status_has_its_word_and_colour(string status, string cssClass, string label)
    {
        var html = await RenderAsync(status, "Done", 1);
        Assert.Contains(cssClass, html);
        Assert.Contains(label, html);
    }

    [Fact]
    public async Task A_status_added_to_the_api_later_is_shown_as_it_comes()
    {
        var html = await RenderAsync("Archived");
        Assert.Contains(">Archived<", html);
    }

    [Fact]
    public async Task A_video_processing_before_its_first_stage_says_processing_with_its_percentage()
    {
        var html = await RenderAsync("Processing", null, 0.4);
        Assert.Contains(">Processing 40%<", html);
    }
}
