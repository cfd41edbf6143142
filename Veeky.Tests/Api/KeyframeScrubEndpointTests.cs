using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Api.Videos;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary><c>GET /api/videos/{id}/keyframes</c>, what a library card scrubs through.</summary>
[Collection(ApiCollection.Name)]
public sealed class KeyframeScrubEndpointTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keyframes_are_spread_over_the_whole_video_in_time_order_with_signed_thumbnail_links()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, segments: 9);

        var frames = (await api.Reader.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{video.Id}/keyframes?count=4", Ct))!;

        // Nine keyframes, four asked for: the first, the last and two evenly between.
        Assert.Equal([0, 3, 5, 8], frames.Select(f => f.GetProperty("segmentIndex").GetInt32()));
        Assert.Equal([0d, 15, 25, 40], frames.Select(f => f.GetProperty("start").GetDouble()));
        var link = frames[1].GetProperty("thumbnailUrl").GetString()!;
        Assert.StartsWith($"/api/videos/{video.Id}/segments/3/thumbnail?exp=", link);
        // The link opens the image without a bearer token, as an <img> on the card loads it.
        using var anonymous = api.Anonymous();
        using var image = await anonymous.GetAsync(link, Ct);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Without_a_count_a_dozen_at_most_and_fewer_keyframes_are_all_listed()
    {
        var few = await api.SeedVideoAsync(api.Visible, api.Editor.Id, segments: 3);
        var many = await api.SeedVideoAsync(api.Visible, api.Editor.Id, segments: 30);

        var ofFew = (await api.Reader.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{few.Id}/keyframes", Ct))!;
        var ofMany = (await api.Reader.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{many.Id}/keyframes", Ct))!;

        Assert.Equal([0, 1, 2], ofFew.Select(f => f.GetProperty("segmentIndex").GetInt32()));
        Assert.Equal(VideoKeyframesEndpoint.DefaultCount, ofMany.Length);
        Assert.Equal(0, ofMany[0].GetProperty("segmentIndex").GetInt32());
        Assert.Equal(29, ofMany[^1].GetProperty("segmentIndex").GetInt32());
    }

    [Fact]
    public async Task A_video_outside_the_callers_categories_is_404_and_a_bad_count_is_400()
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id, segments: 3);

        Assert.Equal(HttpStatusCode.NotFound, (await api.Reader.Client.GetAsync($"/api/videos/{hidden.Id}/keyframes", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Reader.Client.GetAsync($"/api/videos/{Guid.NewGuid()}/keyframes", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Admin.Client.GetAsync($"/api/videos/{hidden.Id}/keyframes", Ct)).StatusCode);
        foreach (var count in new[] { 0, VideoKeyframesEndpoint.MaxCount + 1 })
        {
            using var refused = await api.Admin.Client.GetAsync($"/api/videos/{hidden.Id}/keyframes?count={count}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("count", out _));
        }
    }

    [Fact]
    public async Task A_video_without_keyframes_yet_lists_none()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, segments: 0);

        var frames = (await api.Reader.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{video.Id}/keyframes", Ct))!;

        Assert.Empty(frames);
    }
}
