using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Api;

/// <summary>Share links: made by the video's uploader or an admin, opening that one video at a moment for anyone
/// holding the link until it expires or is revoked, and granting nothing else.</summary>
[Collection(ApiCollection.Name)]
public sealed class ShareEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> CreateAsync(HttpClient client, Guid videoId, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/videos/{videoId}/shares", body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static string Token(JsonElement share) => share.GetProperty("path").GetString()!["/share/".Length..];

    [Fact]
    public async Task The_uploader_makes_a_link_that_opens_the_video_at_the_moment_without_signing_in()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, title: "Board meeting");

        var share = await CreateAsync(api.Editor.Client, video.Id, new { start = 4.5 });
        var opened = await api.Anonymous().GetAsync($"/api/shares/{Token(share)}", Ct);

        Assert.Equal(4.5, share.GetProperty("start").GetDouble());
        Assert.EndsWith(share.GetProperty("path").GetString(), share.GetProperty("url").GetString());
        Assert.StartsWith("http", share.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var body = await opened.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(4.5, body.GetProperty("start").GetDouble());
        Assert.Equal("Board meeting", body.GetProperty("video").GetProperty("title").GetString());
        Assert.Equal(2, body.GetProperty("segments").GetArrayLength());
        Assert.False(body.GetProperty("video").TryGetProperty("uploaderId", out _));
        // Its signed media links play without a token.
        var stream = await api.Anonymous().GetAsync(body.GetProperty("video").GetProperty("streamUrl").GetString(), Ct);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal(video.Original, await stream.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_link_lasts_a_week_unless_asked_otherwise_and_at_most_thirty_days()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        var week = await CreateAsync(api.Editor.Client, video.Id, new { });
        var day = await CreateAsync(api.Editor.Client, video.Id, new { expiresInHours = 24 });
        var tooLong = await api.Editor.Client.PostAsJsonAsync($"/api/videos/{video.Id}/shares", new { expiresInHours = 721 }, Ct);
        var none = await api.Editor.Client.PostAsJsonAsync($"/api/videos/{video.Id}/shares", new { expiresInHours = 0 }, Ct);

        Assert.InRange(week.GetProperty("expiresAt").GetDateTimeOffset() - week.GetProperty("createdAt").GetDateTimeOffset(),
            TimeSpan.FromHours(167.9), TimeSpan.FromHours(168.1));
        Assert.InRange(day.GetProperty("expiresAt").GetDateTimeOffset() - day.GetProperty("createdAt").GetDateTimeOffset(),
            TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("expiresInHours", await tooLong.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10.5)] // the seeded video is 10 s long
    public async Task A_start_outside_the_video_is_refused_with_the_field_named(double start)
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        var response = await api.Editor.Client.PostAsJsonAsync($"/api/videos/{video.Id}/shares", new { start }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("start", out _));
        await using var db = api.Factory.CreateDbContext();
        Assert.False(await db.VideoShares.AnyAsync(s => s.VideoId == video.Id, Ct));
    }

    [Fact]
    public async Task Only_the_uploader_and_admins_share_and_a_user_outside_the_category_finds_no_video()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id);

        var reader = await api.Reader.Client.PostAsJsonAsync($"/api/videos/{video.Id}/shares", new { }, Ct);
        var otherEditor = await api.OtherEditor.Client.PostAsJsonAsync($"/api/videos/{video.Id}/shares", new { }, Ct);
        var outsider = await api.Outsider.Client.PostAsJsonAsync($"/api/videos/{video.Id}/shares", new { }, Ct);
        var editorOnHidden = await api.Editor.Client.PostAsJsonAsync($"/api/videos/{hidden.Id}/shares", new { }, Ct);
        var outsiderList = await api.Outsider.Client.GetAsync($"/api/videos/{video.Id}/shares", Ct);
        var anonymous = await api.Anonymous().PostAsJsonAsync($"/api/videos/{video.Id}/shares", new { }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, reader.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherEditor.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outsider.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, editorOnHidden.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, outsiderList.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        await CreateAsync(api.Admin.Client, video.Id, new { start = 1 });
    }

    [Fact]
    public async Task A_revoked_link_answers_404_and_leaves_the_list()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var share = await CreateAsync(api.Editor.Client, video.Id, new { start = 2 });
        var kept = await CreateAsync(api.Editor.Client, video.Id, new { start = 3 });
        var id = share.GetProperty("id").GetGuid();

        var byReader = await api.Reader.Client.DeleteAsync($"/api/shares/{id}", Ct);
        var byOutsider = await api.Outsider.Client.DeleteAsync($"/api/shares/{id}", Ct);
        var revoked = await api.Editor.Client.DeleteAsync($"/api/shares/{id}", Ct);
        var opened = await api.Anonymous().GetAsync($"/api/shares/{Token(share)}", Ct);
        var list = await api.Editor.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{video.Id}/shares", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, byReader.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOutsider.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, opened.StatusCode);
        Assert.Contains("not valid", (await opened.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
        Assert.Equal([kept.GetProperty("id").GetGuid()], list!.Select(s => s.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync($"/api/shares/{Token(kept)}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_tampered_or_expired_link_answers_404()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var share = await CreateAsync(api.Editor.Client, video.Id, new { });
        var token = Token(share);
        var expired = await CreateAsync(api.Editor.Client, video.Id, new { });
        await using (var db = api.Factory.CreateDbContext())
        {
            var expiredId = expired.GetProperty("id").GetGuid();
            var past = DateTimeOffset.UtcNow.AddMinutes(-1);
            var row = await db.VideoShares.SingleAsync(s => s.Id == expiredId, Ct);
            row.ExpiresAt = past;
            await db.SaveChangesAsync(Ct);
        }
        var otherSignature = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        var otherId = Guid.NewGuid().ToString("N") + token[32..];

        foreach (var bad in new[] { otherSignature, otherId, token[..32], "not-a-link", Token(expired) })
        {
            var response = await api.Anonymous().GetAsync($"/api/shares/{bad}", Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync($"/api/shares/{token}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_link_is_no_key_to_the_api_and_dies_with_its_video()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var share = await CreateAsync(api.Editor.Client, video.Id, new { });
        var holder = api.Anonymous();
        holder.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(share));

        var videos = await holder.GetAsync("/api/videos", Ct);
        var search = await holder.GetAsync("/api/search?q=spoken", Ct);
        var detail = await holder.GetAsync($"/api/videos/{video.Id}", Ct);
        var deleted = await api.Editor.Client.DeleteAsync($"/api/videos/{video.Id}", Ct);
        var opened = await api.Anonymous().GetAsync($"/api/shares/{Token(share)}", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, videos.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, search.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, detail.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, opened.StatusCode);
    }
}
