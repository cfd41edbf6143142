using Veeky.Contracts;
using Veeky.Tests.Infrastructure;
using Veeky.Web.Api;
using Veeky.Web.Components.Shared;

namespace Veeky.Tests.Web;

/// <summary>The library card in each indexing state, as the server renders it and as live.js finds its parts.</summary>
public sealed class LiveCardTests
{
    private static readonly VideoSummary Video = WebFakeApi.AllHands with { Error = null, ThumbnailUrl = null };

    private static Task<string> RenderAsync(VideoSummary video, bool canManage = false) =>
        WebComponentRenderer.RenderAsync<VideoCard>(new Dictionary<string, object?>
        {
            [nameof(VideoCard.Video)] = video,
            [nameof(VideoCard.CategoryName)] = "Engineering",
            [nameof(VideoCard.CanManage)] = canManage,
            [nameof(VideoCard.ReturnUrl)] = "/?page=2",
        });

    [Fact]
    public async Task A_queued_video_shows_queued_and_an_empty_meter_live_js_can_move()
    {
        var html = await RenderAsync(Video with { Status = VideoStatuses.Pending, Stage = "Queued", Progress = 0 });

        Assert.Contains($"data-video-card=\"{Video.Id}\"", html);
        Assert.Contains("data-status=\"Pending\"", html);
        Assert.Contains(">Queued<", html);
        Assert.Matches("<progress[^>]*value=\"0\"[^>]*data-live-meter(?![^>]*hidden)", html);
        Assert.DoesNotContain("data-live-failure", html);
    }

    [Fact]
    public async Task A_video_being_indexed_shows_its_stage_and_percentage()
    {
        var html = await RenderAsync(Video with { Status = VideoStatuses.Processing, Stage = "Transcribing", Progress = 0.4 });

        Assert.Contains("badge--processing", html);
        Assert.Contains(">Transcribing 40%<", html);
        Assert.Matches("<progress[^>]*value=\"0.4\"[^>]*data-live-meter(?![^>]*hidden)", html);
    }

    [Fact]
    public async Task A_ready_video_hides_its_meter()
    {
        var html = await RenderAsync(Video with { Status = VideoStatuses.Completed, Stage = "Done", Progress = 1 });

        Assert.Contains(">Ready<", html);
        Assert.Matches("<progress[^>]*data-live-meter[^>]*hidden", html);
        Assert.DoesNotContain("data-live-failure", html);
        Assert.DoesNotContain("Reindex", html);
    }

    [Fact]
    public async Task A_failed_video_shows_its_error_and_offers_reindex_to_its_owner()
    {
        var failed = Video with { Status = VideoStatuses.Failed, Stage = "Transcribing", Progress = 0.5, Error = "pocketsphinx exited with code 1" };

        var owner = await RenderAsync(failed, canManage: true);

        Assert.Contains(">Failed<", owner);
        Assert.Contains("pocketsphinx exited with code 1", owner);
        Assert.Contains($"action=\"/videos/{Video.Id}/reindex\"", owner);
        Assert.Contains("name=\"returnUrl\" value=\"/?page=2\"", owner);
        Assert.Contains(">Reindex</button>", owner);
        // The form sits outside the card's link: a form inside <a> is not valid HTML.
        Assert.True(owner.IndexOf("</a>", StringComparison.Ordinal) < owner.IndexOf("<form", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_video_shows_its_error_but_no_reindex_to_a_viewer_who_may_not()
    {
        var html = await RenderAsync(Video with { Status = VideoStatuses.Failed, Error = "ffprobe found no video stream" });

        Assert.Contains("ffprobe found no video stream", html);
        Assert.DoesNotContain("<form", html);
        Assert.DoesNotContain("Reindex", html);
    }

    [Fact]
    public async Task A_failure_without_a_reason_still_says_what_happened()
    {
        var html = await RenderAsync(Video with { Status = VideoStatuses.Failed, Error = null });

        Assert.Contains("Indexing failed; no reason was recorded.", html);
    }
}
