using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Veeky.Api;
using Veeky.Api.Media;
using Veeky.Media;
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

    /// <summary>A seeded video (keyframes <c>FF D8 {index} FF D9</c>) with a small copy of distinct bytes for segment 0.</summary>
    private async Task<(SeededVideo Video, byte[] Thumbnail)> SeedWithThumbnailAsync(Guid categoryId, string title = "Seeded video")
    {
        var video = await api.SeedVideoAsync(categoryId, api.Editor.Id, title);
        var store = api.Factory.Services.GetRequiredService<IMediaStore>();
        byte[] thumbnail = [0xFF, 0xD8, 0x54, 0x48, 0xFF, 0xD9];
        await File.WriteAllBytesAsync(store.GetFullPath(store.SegmentThumbnailPath(video.Id, 0)), thumbnail, Ct);
        return (video, thumbnail);
    }

    [Fact]
    public async Task A_segment_thumbnail_answers_its_small_copy_to_a_reader_of_the_category_and_404_to_others()
    {
        var (video, thumbnail) = await SeedWithThumbnailAsync(api.Visible);
        var (hidden, _) = await SeedWithThumbnailAsync(api.Hidden);

        var response = await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/segments/0/thumbnail", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(thumbnail, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound,
            (await api.Outsider.Client.GetAsync($"/api/videos/{video.Id}/segments/0/thumbnail", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await api.Reader.Client.GetAsync($"/api/videos/{hidden.Id}/segments/0/thumbnail", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/segments/9/thumbnail", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await api.Anonymous().GetAsync($"/api/videos/{video.Id}/segments/0/thumbnail", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_signed_thumbnailUrl_of_a_segment_and_a_hit_opens_that_file_only_without_a_token()
    {
        var title = $"Thumbnail {Guid.NewGuid():N}";
        var (video, thumbnail) = await SeedWithThumbnailAsync(api.Visible, title);
        var segments = await api.Reader.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{video.Id}/segments", Ct);
        var link = segments![0].GetProperty("thumbnailUrl").GetString()!;
        var anonymous = api.Anonymous();

        var response = await anonymous.GetAsync(link, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(thumbnail, await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.NotNull(segments[0].GetProperty("keyframeUrl").GetString());
        // The signature covers the path: the same query on another segment's copy or on the keyframe is refused.
        var otherSegment = link.Replace("/segments/0/", "/segments/1/", StringComparison.Ordinal);
        var keyframe = link.Replace("/thumbnail?", "/keyframe?", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(otherSegment, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(keyframe, Ct)).StatusCode);

        var search = await api.Reader.Client.GetFromJsonAsync<JsonElement>($"/api/search?q={Uri.EscapeDataString(title)}&mode=text", Ct);
        var hit = search.GetProperty("hits").EnumerateArray().First(h => h.GetProperty("videoId").GetGuid() == video.Id);
        var hitLink = hit.GetProperty("thumbnailUrl").GetString()!;
        Assert.StartsWith($"/api/videos/{video.Id}/segments/{hit.GetProperty("segmentIndex").GetInt32()}/thumbnail?exp=", hitLink);
        Assert.NotNull(hit.GetProperty("keyframeUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(hitLink, Ct)).StatusCode);
    }

    [Fact]
    public async Task A_video_indexed_before_small_copies_existed_gets_the_keyframe_as_its_thumbnail()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        var response = await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/segments/1/thumbnail", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 1, 0xFF, 0xD9 }, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_revisit_with_the_ETag_answers_304_without_a_body_and_a_changed_image_answers_200()
    {
        var (video, _) = await SeedWithThumbnailAsync(api.Visible);
        var path = $"/api/videos/{video.Id}/segments/0/thumbnail";
        var first = await api.Reader.Client.GetAsync(path, Ct);
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.Contains("private", first.Headers.CacheControl?.ToString());

        using var revisit = new HttpRequestMessage(HttpMethod.Get, path);
        revisit.Headers.IfNoneMatch.Add(tag);
        var second = await api.Reader.Client.SendAsync(revisit, Ct);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync(Ct));

        // A reindex rewrites the file: the old tag no longer matches.
        var store = api.Factory.Services.GetRequiredService<IMediaStore>();
        var file = store.GetFullPath(store.SegmentThumbnailPath(video.Id, 0));
        await File.WriteAllBytesAsync(file, [0xFF, 0xD8, 0x02, 0x02, 0x02, 0x02, 0xFF, 0xD9], Ct);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        using var afterReindex = new HttpRequestMessage(HttpMethod.Get, path);
        afterReindex.Headers.IfNoneMatch.Add(tag);
        var third = await api.Reader.Client.SendAsync(afterReindex, Ct);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(8, (await third.Content.ReadAsByteArrayAsync(Ct)).Length);
    }

    [Fact]
    public void A_signed_link_stays_the_same_url_for_half_a_lifetime_and_lives_at_least_one()
    {
        using var folder = new TempFolder();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 1, TimeSpan.Zero));
        var lifetime = TimeSpan.FromHours(1);
        var signer = new MediaLinkSigner(Options.Create(new ApiOptions { MediaLinks = { Key = "test key", Lifetime = lifetime } }),
            Options.Create(new VeekyDataOptions { DataDirectory = folder.Path }), clock);
        var path = MediaLinks.SegmentThumbnailPath(Guid.NewGuid(), 3);

        var first = signer.Sign(path);
        clock.Advance(TimeSpan.FromMinutes(29));
        var later = signer.Sign(path);
        clock.Advance(TimeSpan.FromMinutes(2));
        var nextWindow = signer.Sign(path);

        Assert.Equal(first, later);
        Assert.NotEqual(later, nextWindow);
        var expiry = long.Parse(first.Split("exp=")[1].Split('&')[0], System.Globalization.CultureInfo.InvariantCulture);
        var signedAt = new DateTimeOffset(2026, 1, 1, 12, 0, 1, TimeSpan.Zero);
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(expiry), signedAt + lifetime, signedAt + lifetime * 1.5);
        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.True(signer.IsValid(path, first.Split("exp=")[1].Split('&')[0], first.Split("sig=")[1]));
    }
}
