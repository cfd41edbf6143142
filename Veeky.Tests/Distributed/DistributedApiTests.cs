using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Data;
using Veeky.Progress;
using Veeky.Redis;
using Veeky.Search;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Distributed;

/// <summary>
/// A representative part of the API suite on PostgreSQL + Redis: visibility (404, never 403), refused uploads leave
/// nothing, search sees changes through the Redis cache, and progress events reach an SSE client on another replica.
/// </summary>
[Collection(PostgresRedisApiCollection.Name)]
public sealed class DistributedApiTests(PostgresRedisApiFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A guard so a broken stream fails the test instead of hanging it; not a timing assertion.</summary>
    private static CancellationToken Guard()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        source.CancelAfter(TimeSpan.FromSeconds(30));
        return source.Token;
    }

    [Fact]
    public void The_host_runs_on_postgres_with_redis_progress_and_search_cache()
    {
        var api = fixture.Require();

        Assert.Equal(DatabaseKind.Postgres, api.Factory.Services.GetRequiredService<DatabaseProvider>().Kind);
        Assert.IsType<RedisProgressBroadcaster>(api.Factory.Services.GetRequiredService<IProgressBroadcaster>());
        // Searches are traced around the cache, so their spans tell cached answers apart.
        var traced = Assert.IsType<TracingSearchIndex>(api.Factory.Services.GetRequiredService<ISearchIndex>());
        Assert.IsType<CachingSearchIndex>(traced.Inner);
    }

    [Theory]
    [InlineData("GET", "/api/videos/{id}")]
    [InlineData("GET", "/api/videos/{id}/stream")]
    [InlineData("GET", "/api/videos/{id}/events")]
    [InlineData("PUT", "/api/videos/{id}")]
    [InlineData("DELETE", "/api/videos/{id}")]
    public async Task A_video_outside_the_callers_categories_is_404_on_postgres(string method, string template)
    {
        var api = fixture.Require();
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id, "Hidden video");

        foreach (var actor in new[] { api.Reader, api.Outsider, api.Editor })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), template.Replace("{id}", hidden.Id.ToString()));
            if (method == "PUT")
            {
                request.Content = JsonContent.Create(new { title = "Renamed" });
            }
            var response = await actor.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await api.Admin.Client.GetAsync($"/api/videos/{hidden.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Refused_uploads_leave_no_row_job_or_file_on_postgres()
    {
        var api = fixture.Require();
        await using var before = api.Factory.CreateDbContext();
        var videos = await before.Videos.CountAsync(Ct);
        var jobs = await before.Jobs.CountAsync(Ct);
        var files = api.Factory.MediaFiles();

        var notAVideo = await api.Editor.Client.PostAsync("/api/videos", Form("This is not a video.\n"u8.ToArray(), api.Visible), Ct);
        var tooLarge = await api.Editor.Client.PostAsync("/api/videos", Form(new byte[ApiFixture.MaxUploadBytes + 1], api.Visible), Ct);
        var hiddenCategory = await api.Editor.Client.PostAsync("/api/videos", Form([1, 2, 3], api.Hidden), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, notAVideo.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, hiddenCategory.StatusCode);
        await using var after = api.Factory.CreateDbContext();
        Assert.Equal(videos, await after.Videos.CountAsync(Ct));
        Assert.Equal(jobs, await after.Jobs.CountAsync(Ct));
        Assert.Equal(files, api.Factory.MediaFiles());
    }

    [Fact]
    public async Task Search_finds_a_video_and_sees_its_deletion_through_the_redis_cache()
    {
        var api = fixture.Require();
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, "Quarterly zeppelin review");
        const string url = "/api/search?q=zeppelin&mode=text";

        var first = await api.Reader.Client.GetFromJsonAsync<JsonElement>(url, Ct);
        var cached = await api.Reader.Client.GetFromJsonAsync<JsonElement>(url, Ct);
        var outsider = await api.Outsider.Client.GetFromJsonAsync<JsonElement>(url, Ct);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin.Client.DeleteAsync($"/api/videos/{video.Id}", Ct)).StatusCode);
        var afterDelete = await api.Reader.Client.GetFromJsonAsync<JsonElement>(url, Ct);

        Assert.Contains(video.Id, HitVideoIds(first));
        Assert.Equal(HitVideoIds(first), HitVideoIds(cached));
        Assert.DoesNotContain(video.Id, HitVideoIds(outsider));
        Assert.DoesNotContain(video.Id, HitVideoIds(afterDelete));
    }

    [Fact]
    public async Task A_progress_event_published_on_one_replica_reaches_an_event_stream_on_another()
    {
        var api = fixture.Require();
        var ct = Guard();
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, status: VideoStatus.Pending);
        await using var replica = fixture.StartReplica();
        var broadcaster = replica.Services.GetRequiredService<IProgressBroadcaster>();

        using var response = await api.Reader.Client.GetAsync($"/api/videos/{video.Id}/events", HttpCompletionOption.ResponseHeadersRead, ct);
        using var events = new ApiEventStream(await response.Content.ReadAsStreamAsync(ct));
        var current = await events.ReadAsync(ct);
        var later = DateTimeOffset.UtcNow.AddSeconds(1);
        await broadcaster.PublishAsync(new VideoProgressEvent(video.Id, api.Visible, VideoStatus.Processing, VideoStage.Transcribing, 0.5, null, later), ct);
        await broadcaster.PublishAsync(new VideoProgressEvent(video.Id, api.Visible, VideoStatus.Failed, VideoStage.Transcribing, 0.5, "boom", later.AddSeconds(1)), ct);
        var progress = await events.ReadAsync(ct);
        var failed = await events.ReadAsync(ct);

        Assert.Contains("\"Pending\"", current!.Data);
        Assert.Contains("\"Transcribing\"", progress!.Data);
        Assert.Contains("\"boom\"", failed!.Data);
        Assert.Null(await events.ReadAsync(ct));
    }

    [Fact]
    public async Task A_replica_s_first_event_stream_gets_what_is_published_right_after_its_first_event()
    {
        // A replica subscribes to Redis when its first stream opens. The stream must not read the current state (its
        // first event) before Redis has confirmed that subscription, or changes published right after are lost.
        var api = fixture.Require();
        var publisher = api.Factory.Services.GetRequiredService<IProgressBroadcaster>();
        for (var round = 0; round < 3; round++)
        {
            var ct = Guard();
            var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, status: VideoStatus.Pending);
            await using var replica = fixture.StartReplica();
            using var reader = replica.CreateClient();
            reader.DefaultRequestHeaders.Authorization = api.Reader.Client.DefaultRequestHeaders.Authorization;

            using var response = await reader.GetAsync($"/api/videos/{video.Id}/events", HttpCompletionOption.ResponseHeadersRead, ct);
            using var events = new ApiEventStream(await response.Content.ReadAsStreamAsync(ct));
            var current = await events.ReadAsync(ct);
            var later = DateTimeOffset.UtcNow.AddSeconds(1);
            await publisher.PublishAsync(new VideoProgressEvent(video.Id, api.Visible, VideoStatus.Processing, VideoStage.Probing, 0.1, null, later), ct);
            await publisher.PublishAsync(new VideoProgressEvent(video.Id, api.Visible, VideoStatus.Failed, VideoStage.Probing, 0.1, "boom", later.AddSeconds(1)), ct);

            Assert.Contains("\"Pending\"", current!.Data);
            Assert.Contains("\"Processing\"", (await events.ReadAsync(ct))!.Data);
            Assert.Contains("\"boom\"", (await events.ReadAsync(ct))!.Data);
        }
    }

    private static List<Guid> HitVideoIds(JsonElement result) =>
        result.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("videoId").GetGuid()).Distinct().ToList();

    private static MultipartFormDataContent Form(byte[] file, Guid categoryId)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("Refused clip"), "title" },
            { new StringContent(categoryId.ToString()), "categoryId" },
        };
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(content, "file", "clip.mp4");
        return form;
    }
}
