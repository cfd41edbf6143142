using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Progress;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class EventEndpointsTests(ApiFixture api)
{
    /// <summary>A guard so a broken stream fails the test instead of hanging it; not a timing assertion.</summary>
    private static CancellationToken Guard()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(30));
        return source.Token;
    }

    [Fact]
    public async Task A_finished_videos_stream_sends_its_current_state_and_ends()
    {
        var ct = Guard();
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, status: VideoStatus.Completed);

        using var response = await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/events", HttpCompletionOption.ResponseHeadersRead, ct);
        using var events = new ApiEventStream(await response.Content.ReadAsStreamAsync(ct));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var first = await events.ReadAsync(ct);
        Assert.NotNull(first);
        Assert.Equal("progress", first.Type);
        Assert.False(string.IsNullOrEmpty(first.Id));
        var data = JsonDocument.Parse(first.Data).RootElement;
        Assert.Equal(video.Id, data.GetProperty("id").GetGuid());
        Assert.Equal("Completed", data.GetProperty("status").GetString());
        Assert.Null(await events.ReadAsync(ct));
    }

    [Fact]
    public async Task A_running_videos_stream_follows_its_changes_until_it_fails()
    {
        var ct = Guard();
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, status: VideoStatus.Pending);
        var broadcaster = api.Factory.Services.GetRequiredService<IProgressBroadcaster>();

        using var response = await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/events", HttpCompletionOption.ResponseHeadersRead, ct);
        using var events = new ApiEventStream(await response.Content.ReadAsStreamAsync(ct));
        var first = await events.ReadAsync(ct);
        Assert.Contains("\"Pending\"", first!.Data);

        var later = DateTimeOffset.UtcNow.AddSeconds(1);
        await broadcaster.PublishAsync(new VideoProgressEvent(Guid.NewGuid(), api.Visible, VideoStatus.Processing, VideoStage.Probing, 0.1, null, later), ct);
        await broadcaster.PublishAsync(new VideoProgressEvent(video.Id, api.Visible, VideoStatus.Processing, VideoStage.Transcribing, 0.5, null, later), ct);
        await broadcaster.PublishAsync(new VideoProgressEvent(video.Id, api.Visible, VideoStatus.Failed, VideoStage.Transcribing, 0.5, "boom", later.AddSeconds(1)), ct);

        var progress = await events.ReadAsync(ct);
        var failed = await events.ReadAsync(ct);
        Assert.Contains("\"Transcribing\"", progress!.Data);
        Assert.Equal(later.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), progress.Id);
        Assert.Contains("\"boom\"", failed!.Data);
        Assert.Null(await events.ReadAsync(ct));
    }

    [Fact]
    public async Task The_all_videos_stream_starts_with_videos_in_progress_and_skips_hidden_ones()
    {
        var ct = Guard();
        var category = await api.CreateCategoryAsync("Live");
        var watcher = await api.CreateUserAsync("watcher@test.local", Veeky.Identity.Roles.User, category);
        var pending = await api.SeedVideoAsync(category, api.Admin.Id, status: VideoStatus.Pending);
        var broadcaster = api.Factory.Services.GetRequiredService<IProgressBroadcaster>();

        using var response = await watcher.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, ct);
        using var events = new ApiEventStream(await response.Content.ReadAsStreamAsync(ct));
        var first = await events.ReadAsync(ct);
        Assert.Equal(pending.Id, JsonDocument.Parse(first!.Data).RootElement.GetProperty("id").GetGuid());

        var hiddenVideo = Guid.NewGuid();
        var visibleVideo = Guid.NewGuid();
        await broadcaster.PublishAsync(new VideoProgressEvent(hiddenVideo, api.Hidden, VideoStatus.Processing, VideoStage.Probing, 0.1, null, DateTimeOffset.UtcNow), ct);
        await broadcaster.PublishAsync(new VideoProgressEvent(visibleVideo, category, VideoStatus.Processing, VideoStage.Probing, 0.1, null, DateTimeOffset.UtcNow), ct);

        var next = await events.ReadAsync(ct);
        Assert.Equal(visibleVideo, JsonDocument.Parse(next!.Data).RootElement.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Reconnecting_with_Last_Event_ID_replays_what_changed_since_even_if_finished()
    {
        var ct = Guard();
        var category = await api.CreateCategoryAsync("Reconnect");
        var watcher = await api.CreateUserAsync("reconnecting@test.local", Veeky.Identity.Roles.User, category);
        var lastSeen = DateTimeOffset.UtcNow.AddMinutes(-1).UtcTicks;
        var finished = await api.SeedVideoAsync(category, api.Admin.Id, status: VideoStatus.Completed);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Add("Last-Event-ID", lastSeen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await watcher.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        using var events = new ApiEventStream(await response.Content.ReadAsStreamAsync(ct));

        var first = await events.ReadAsync(ct);
        var data = JsonDocument.Parse(first!.Data).RootElement;
        Assert.Equal(finished.Id, data.GetProperty("id").GetGuid());
        Assert.Equal("Completed", data.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Events_need_a_bearer_token()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/events", TestContext.Current.CancellationToken)).StatusCode);
    }
}
