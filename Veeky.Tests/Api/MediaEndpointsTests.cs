using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Api.Media;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class MediaEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_range_request_answers_206_with_exactly_those_bytes()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/videos/{video.Id}/stream");
        request.Headers.Range = new RangeHeaderValue(100, 199);

        var response = await api.Reader.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes 100-199/{video.Original.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(video.Original[100..200], await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Without_a_range_the_whole_file_streams_and_ranges_are_advertised()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        var response = await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/stream", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.Equal(video.Original, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Signed_links_open_stream_thumbnail_and_keyframe_without_a_token()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var detail = await api.Reader.Client.GetFromJsonAsync<JsonElement>($"/api/videos/{video.Id}", Ct);
        var segments = await api.Reader.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{video.Id}/segments", Ct);
        var anonymous = api.Anonymous();

        var stream = await anonymous.GetAsync(detail.GetProperty("streamUrl").GetString(), Ct);
        var thumbnail = await anonymous.GetAsync(detail.GetProperty("thumbnailUrl").GetString(), Ct);
        var keyframe = await anonymous.GetAsync(segments![0].GetProperty("keyframeUrl").GetString(), Ct);

        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal(video.Original, await stream.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, keyframe.StatusCode);
        Assert.Equal("image/jpeg", keyframe.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_signed_link_with_a_range_answers_206()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var signer = api.Factory.Services.GetRequiredService<MediaLinkSigner>();
        using var request = new HttpRequestMessage(HttpMethod.Get, signer.Sign(MediaLinks.StreamPath(video.Id)));
        request.Headers.Range = new RangeHeaderValue(0, 9);

        var response = await api.Anonymous().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(video.Original[..10], await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_tampered_signature_an_expired_link_or_a_link_moved_to_another_file_is_refused()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var other = await api.SeedVideoAsync(api.Hidden, api.Admin.Id);
        var signer = api.Factory.Services.GetRequiredService<MediaLinkSigner>();
        var good = signer.Sign(MediaLinks.StreamPath(video.Id));
        var anonymous = api.Anonymous();

        var tampered = good[..^2] + (good[^2] == 'A' ? "BB" : "AA");
        var expired = signer.Sign(MediaLinks.StreamPath(video.Id), DateTimeOffset.UtcNow.AddSeconds(-5));
        var moved = good.Replace(video.Id.ToString(), other.Id.ToString(), StringComparison.Ordinal);
        var longer = good.Replace($"exp=", "exp=9", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(good, Ct)).StatusCode);
        foreach (var link in new[] { tampered, expired, moved, longer })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(link, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task With_an_invalid_signature_a_bearer_token_still_works_under_the_visibility_rules()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var path = $"/api/videos/{video.Id}/stream?exp=1&sig=nonsense";

        Assert.Equal(HttpStatusCode.OK, (await api.Reader.Client.GetAsync(path, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Outsider.Client.GetAsync(path, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_missing_keyframe_or_thumbnail_is_404()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, segments: 1);

        Assert.Equal(HttpStatusCode.NotFound, (await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/segments/7/keyframe", Ct)).StatusCode);
        File.Delete(Path.Combine(api.Factory.MediaDirectory, "videos", video.Id.ToString("N"), "thumbnail.jpg"));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/thumbnail", Ct)).StatusCode);
        var detail = await api.Reader.Client.GetFromJsonAsync<JsonElement>($"/api/videos/{video.Id}", Ct);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("thumbnailUrl").ValueKind);
    }
}
