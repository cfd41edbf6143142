using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Data;
using Veeky.Identity;
using Veeky.Progress;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Web;

/// <summary>
/// The web host's live routes against the real API of the all-in-one host: <c>GET /live/videos</c> (the relayed
/// stream of every visible video), <c>GET /live/videos/{id}/card</c> and <c>POST /videos/{id}/reindex</c>.
/// </summary>
public sealed class LiveRelayTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private const string Password = "Live-Relay-Passw0rd!";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two categories and a User who sees only the first; unique names, as tests share the host.</summary>
    private async Task<(Guid Seen, Guid Hidden, string ReaderEmail, HttpClient Admin)> ArrangeAsync()
    {
        var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var seen = await WebAllInOneHost.CreateCategoryAsync(admin, "Live seen " + suffix);
        var hidden = await WebAllInOneHost.CreateCategoryAsync(admin, "Live hidden " + suffix);
        var email = $"reader-{suffix}@veeky.test";
        using var created = await admin.PostAsJsonAsync("api/users",
            new { email, password = Password, role = Roles.User, categoryIds = new[] { seen } }, Ct);
        created.EnsureSuccessStatusCode();
        return (seen, hidden, email, admin);
    }

    private static async Task<(HttpResponseMessage Response, ApiEventStream Events)> OpenLiveAsync(HttpClient web, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var response = await web.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return (response, new ApiEventStream(await response.Content.ReadAsStreamAsync(Ct)));
    }

    /// <summary>The ids of the events read until the one of <paramref name="last"/> arrives.</summary>
    private static async Task<List<Guid>> ReadUntilAsync(ApiEventStream events, Guid last)
    {
        var seen = new List<Guid>();
        while (await events.ReadAsync(Ct) is { } item)
        {
            Assert.Equal("progress", item.Type);
            var id = JsonDocument.Parse(item.Data).RootElement.GetProperty("id").GetGuid();
            seen.Add(id);
            if (id == last)
            {
                return seen;
            }
        }
        throw new InvalidOperationException("The stream ended before the expected event.");
    }

    private async Task<Guid> AdminIdAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("api/auth/me", Ct)).GetProperty("id").GetGuid();

    [Fact]
    public async Task The_library_stream_carries_no_event_of_a_video_the_user_may_not_see()
    {
        var (seenCategory, hiddenCategory, readerEmail, admin) = await ArrangeAsync();
        using var _ = admin;
        using var readerWeb = await host.SignInToWebAsync(readerEmail, Password);
        using var adminWeb = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var (readerResponse, readerEvents) = await OpenLiveAsync(readerWeb, "live/videos");
        var (adminResponse, adminEvents) = await OpenLiveAsync(adminWeb, "live/videos");
        using var r1 = readerResponse;
        using var r2 = adminResponse;
        using var e1 = readerEvents;
        using var e2 = adminEvents;

        var hiddenVideo = Guid.CreateVersion7();
        var seenVideo = Guid.CreateVersion7();
        var broadcaster = host.Services.GetRequiredService<IProgressBroadcaster>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        // The hidden video's change goes out first, then the visible one's, again and again until both readers got the
        // visible one: the API subscribes while the stream opens, so a first round may come before it listens. One
        // broadcaster delivers in order, so whoever got the visible event was sent the hidden one just before it.
        var publishing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var now = DateTimeOffset.UtcNow;
                await broadcaster.PublishAsync(new VideoProgressEvent(hiddenVideo, hiddenCategory, VideoStatus.Processing, VideoStage.Transcribing, 0.4, null, now), stop.Token);
                await broadcaster.PublishAsync(new VideoProgressEvent(seenVideo, seenCategory, VideoStatus.Processing, VideoStage.Transcribing, 0.4, null, now), stop.Token);
                await Task.Delay(200, stop.Token);
            }
        }, stop.Token);

        var readerSaw = await ReadUntilAsync(readerEvents, seenVideo);
        var adminSaw = await ReadUntilAsync(adminEvents, seenVideo);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publishing);

        Assert.DoesNotContain(hiddenVideo, readerSaw);
        Assert.Contains(hiddenVideo, adminSaw);
        Assert.True(adminSaw.IndexOf(hiddenVideo) < adminSaw.IndexOf(seenVideo));
    }

    [Fact]
    public async Task A_reconnecting_library_gets_what_finished_while_it_was_away()
    {
        var (seenCategory, _, _, admin) = await ArrangeAsync();
        using var _admin = admin;
        // Finished an hour ago: not in the stream's opening state, unless the client last heard from it before that.
        var finished = await host.SeedVideoAsync(seenCategory, await AdminIdAsync(admin), VideoStatus.Completed);
        using var web = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        web.DefaultRequestHeaders.Add("Last-Event-ID", DateTimeOffset.UtcNow.AddHours(-2).UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var (response, events) = await OpenLiveAsync(web, "live/videos");
        using var r = response;
        using var e = events;
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        patience.CancelAfter(TimeSpan.FromSeconds(60));

        while (await events.ReadAsync(patience.Token) is { } item)
        {
            var data = JsonDocument.Parse(item.Data).RootElement;
            if (data.GetProperty("id").GetGuid() == finished.Id)
            {
                Assert.Equal("Completed", data.GetProperty("status").GetString());
                Assert.NotNull(item.Id);
                return;
            }
        }
        Assert.Fail("The stream ended without the video that finished while the client was away.");
    }

    [Fact]
    public async Task The_live_routes_need_a_session()
    {
        using var anonymous = host.CreateBrowserlikeClient();

        using var stream = await anonymous.GetAsync("live/videos", Ct);
        using var card = await anonymous.GetAsync($"live/videos/{Guid.NewGuid()}/card", Ct);

        Assert.Equal(HttpStatusCode.Redirect, stream.StatusCode);
        Assert.Contains("/login", stream.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, card.StatusCode);
    }

    [Fact]
    public async Task A_failed_card_shows_the_error_to_viewers_and_reindex_only_to_those_who_may()
    {
        var (seenCategory, hiddenCategory, readerEmail, admin) = await ArrangeAsync();
        using var _ = admin;
        var video = await host.SeedVideoAsync(seenCategory, await AdminIdAsync(admin), VideoStatus.Failed, "pocketsphinx gave up");
        var hiddenVideo = await host.SeedVideoAsync(hiddenCategory, await AdminIdAsync(admin), VideoStatus.Failed, "secret failure");
        using var adminWeb = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        using var readerWeb = await host.SignInToWebAsync(readerEmail, Password);

        var adminCard = await adminWeb.GetStringAsync($"live/videos/{video.Id}/card?returnUrl=%2F%3Fpage%3D2", Ct);
        var readerCard = await readerWeb.GetStringAsync($"live/videos/{video.Id}/card?returnUrl=%2F", Ct);
        using var hidden = await readerWeb.GetAsync($"live/videos/{hiddenVideo.Id}/card", Ct);
        var offsite = await adminWeb.GetStringAsync($"live/videos/{video.Id}/card?returnUrl=https%3A%2F%2Fevil.example%2F", Ct);

        Assert.StartsWith("<article class=\"card\"", adminCard.TrimStart());
        Assert.Contains("pocketsphinx gave up", adminCard);
        Assert.Contains($"action=\"/videos/{video.Id}/reindex\"", adminCard);
        Assert.Contains("name=\"returnUrl\" value=\"/?page=2\"", adminCard);
        Assert.Contains("__RequestVerificationToken", adminCard);
        Assert.Contains("pocketsphinx gave up", readerCard);
        Assert.DoesNotContain("reindex", readerCard, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Contains("name=\"returnUrl\" value=\"/\"", offsite);
    }

    [Fact]
    public async Task Reindex_from_a_card_asks_the_api_and_comes_back_but_only_for_those_who_may()
    {
        var (seenCategory, _, readerEmail, admin) = await ArrangeAsync();
        using var _admin = admin;
        var video = await host.SeedVideoAsync(seenCategory, await AdminIdAsync(admin), VideoStatus.Failed, "ffmpeg crashed");
        using var adminWeb = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        using var readerWeb = await host.SignInToWebAsync(readerEmail, Password);
        var seededAt = (await FindAsync(video.Id)).UpdatedAt; // as stored (the database may round it)

        // A reader may see the video but not reindex it: the API says no, and nothing changes.
        var readerToken = WebPageForms.HiddenFields(await readerWeb.GetStringAsync("", Ct))["__RequestVerificationToken"];
        using var refused = await readerWeb.PostAsync($"videos/{video.Id}/reindex", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = readerToken,
            ["returnUrl"] = "/",
        }), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(seededAt, (await FindAsync(video.Id)).UpdatedAt);

        // Without the form's token nothing reaches the API.
        using var forged = await adminWeb.PostAsync($"videos/{video.Id}/reindex",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(seededAt, (await FindAsync(video.Id)).UpdatedAt);

        var card = await adminWeb.GetStringAsync($"live/videos/{video.Id}/card?returnUrl=%2F%3FcategoryId%3D{seenCategory}", Ct);
        using var reindexed = await adminWeb.PostAsync($"videos/{video.Id}/reindex", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebPageForms.HiddenFields(card)["__RequestVerificationToken"],
            ["returnUrl"] = $"/?categoryId={seenCategory}",
        }), Ct);

        Assert.Equal(HttpStatusCode.Redirect, reindexed.StatusCode);
        Assert.Equal($"/?categoryId={seenCategory}", reindexed.Headers.Location!.OriginalString);
        // Queued again (the indexer may already have moved it on: its file does not exist, so it fails once more).
        Assert.True((await FindAsync(video.Id)).UpdatedAt > seededAt);
        await using var scope = host.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Jobs.AnyAsync(j => j.VideoId == video.Id, Ct));
    }

    private async Task<Video> FindAsync(Guid id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VeekyDbContext>().Videos.AsNoTracking().SingleAsync(v => v.Id == id, Ct);
    }
}
