using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Speech;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary><c>/api/videos/{id}/captions.vtt</c> and <c>.srt</c>: built from the stored timed words, behind the same
/// visibility rules and signed links as the other media of a video.</summary>
[Collection(ApiCollection.Name)]
public sealed class CaptionEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TranscriptWord[] Words =
    [
        new("welcome", 0.5, 0.9), new("to", 1.0, 1.1), new("the", 1.2, 1.3), new("review", 1.4, 1.9),
        new("revenue", 5.0, 5.5), new("grew", 5.6, 5.9),
    ];

    private async Task<SeededVideo> SeedWithSpeechAsync(Guid categoryId)
    {
        var video = await api.SeedVideoAsync(categoryId, api.Editor.Id);
        await using var db = api.Factory.CreateDbContext();
        await db.Videos.Where(v => v.Id == video.Id)
            .ExecuteUpdateAsync(v => v.SetProperty(x => x.TranscriptJson, TranscriptJson.Serialize(Words)), Ct);
        return video;
    }

    [Fact]
    public async Task WebVtt_captions_follow_the_spoken_words_and_split_at_the_pause()
    {
        var video = await SeedWithSpeechAsync(api.Visible);

        var response = await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/captions.vtt", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/vtt", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            "WEBVTT\n\n1\n00:00:00.500 --> 00:00:01.900\nwelcome to the review\n\n2\n00:00:05.000 --> 00:00:06.000\nrevenue grew\n",
            await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task SubRip_subtitles_are_the_same_cues_for_download()
    {
        var video = await SeedWithSpeechAsync(api.Visible);

        var response = await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/captions.srt", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-subrip", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("1\r\n00:00:00,500 --> 00:00:01,900\r\nwelcome to the review\r\n\r\n2\r\n", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("captions.vtt")]
    [InlineData("captions.srt")]
    public async Task A_video_outside_the_callers_categories_has_no_captions_for_them(string file)
    {
        var hidden = await SeedWithSpeechAsync(api.Hidden);
        var visible = await SeedWithSpeechAsync(api.Visible);

        var outsider = await api.Outsider.Client.GetAsync($"/api/videos/{visible.Id}/{file}", Ct);
        var reader = await api.Reader.Client.GetAsync($"/api/videos/{hidden.Id}/{file}", Ct);
        var admin = await api.Admin.Client.GetAsync($"/api/videos/{hidden.Id}/{file}", Ct);
        var anonymous = await api.Anonymous().GetAsync($"/api/videos/{visible.Id}/{file}", Ct);

        Assert.Equal(HttpStatusCode.NotFound, outsider.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, reader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("revenue grew", await admin.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task The_video_carries_signed_caption_links_that_open_without_a_token_and_only_that_file()
    {
        var video = await SeedWithSpeechAsync(api.Visible);
        var other = await SeedWithSpeechAsync(api.Visible);
        var detail = await api.Reader.Client.GetFromJsonAsync<JsonElement>($"/api/videos/{video.Id}", Ct);
        var vttUrl = detail.GetProperty("captionsVttUrl").GetString()!;
        var srtUrl = detail.GetProperty("captionsSrtUrl").GetString()!;
        var anonymous = api.Anonymous();

        var vtt = await anonymous.GetAsync(vttUrl, Ct);
        var srt = await anonymous.GetAsync(srtUrl, Ct);
        var otherVideo = await anonymous.GetAsync(vttUrl.Replace(video.Id.ToString(), other.Id.ToString()), Ct);
        var otherFile = await anonymous.GetAsync(vttUrl.Replace("captions.vtt", "stream"), Ct);

        Assert.Equal(HttpStatusCode.OK, vtt.StatusCode);
        Assert.StartsWith("WEBVTT", await vtt.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, srt.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherVideo.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, otherFile.StatusCode);
    }

    [Fact]
    public async Task A_video_without_transcribed_speech_offers_no_caption_links()
    {
        var silent = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        var detail = await api.Reader.Client.GetFromJsonAsync<JsonElement>($"/api/videos/{silent.Id}", Ct);
        var vtt = await api.Reader.Client.GetAsync($"/api/videos/{silent.Id}/captions.vtt", Ct);

        Assert.Equal(JsonValueKind.Null, detail.GetProperty("captionsVttUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("captionsSrtUrl").ValueKind);
        Assert.Equal(HttpStatusCode.OK, vtt.StatusCode);
        Assert.Equal("WEBVTT\n", await vtt.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Captions_revalidate_with_their_etag_until_the_video_changes()
    {
        var video = await SeedWithSpeechAsync(api.Visible);
        var first = await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/captions.vtt", Ct);
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/videos/{video.Id}/captions.vtt");
        again.Headers.IfNoneMatch.Add(tag);
        var second = await api.Reader.Client.SendAsync(again, Ct);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }
}
