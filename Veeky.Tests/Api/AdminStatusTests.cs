using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Jobs;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Api;

/// <summary><c>GET /api/admin/status</c>: the queue as the admin page shows it, the capabilities, the storage.</summary>
[Collection(ApiCollection.Name)]
public sealed class AdminStatusTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_status_lists_waiting_running_and_failed_videos_with_stage_worker_and_error()
    {
        var category = await api.CreateCategoryAsync("Queue " + Guid.NewGuid().ToString("N")[..6]);
        var waiting = await api.SeedVideoAsync(category, api.Admin.Id, "Waiting one", VideoStatus.Pending);
        var running = await api.SeedVideoAsync(category, api.Admin.Id, "Running one", VideoStatus.Processing);
        var failed = await api.SeedVideoAsync(category, api.Admin.Id, "Failed one", VideoStatus.Failed);
        var now = DateTimeOffset.UtcNow;
        await using (var db = api.Factory.CreateDbContext())
        {
            // A job no worker may claim yet, and one a live worker holds: the test's worker leaves both alone.
            db.Jobs.Add(new IndexingJob { Id = Guid.CreateVersion7(), VideoId = waiting.Id, Status = JobStatus.Queued, RunAfter = now.AddHours(1), CreatedAt = now, UpdatedAt = now });
            db.Jobs.Add(new IndexingJob
            {
                Id = Guid.CreateVersion7(), VideoId = running.Id, Status = JobStatus.Running, Attempts = 1, LeaseOwner = "indexer-7",
                LeaseExpiresAt = now.AddHours(1), RunAfter = now, CreatedAt = now, UpdatedAt = now,
            });
            await db.SaveChangesAsync(Ct);
            await db.Videos.Where(v => v.Id == running.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Stage, VideoStage.Transcribing).SetProperty(v => v.Progress, 0.4), Ct);
            await db.Videos.Where(v => v.Id == failed.Id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Error, "Probing failed: not a video."), Ct);
        }

        var status = await api.Admin.Client.GetFromJsonAsync<JsonElement>("/api/admin/status", Ct);

        var queue = status.GetProperty("queue");
        Assert.Contains(queue.GetProperty("waiting").EnumerateArray(), j => j.GetProperty("videoId").GetGuid() == waiting.Id);
        var run = Assert.Single(queue.GetProperty("running").EnumerateArray(), j => j.GetProperty("videoId").GetGuid() == running.Id);
        Assert.Equal(("indexer-7", "Transcribing", 0.4), (run.GetProperty("worker").GetString(), run.GetProperty("stage").GetString(), run.GetProperty("progress").GetDouble()));
        var fail = Assert.Single(queue.GetProperty("failed").EnumerateArray(), j => j.GetProperty("videoId").GetGuid() == failed.Id);
        Assert.Equal("Probing failed: not a video.", fail.GetProperty("error").GetString());
        Assert.True(queue.GetProperty("failedCount").GetInt32() >= 1);
        Assert.Equal("ffmpeg", status.GetProperty("capabilities").GetProperty("media").GetString());
        var storage = status.GetProperty("storage");
        Assert.True(storage.GetProperty("videoCount").GetInt32() >= 3);
        Assert.True(storage.GetProperty("originalBytes").GetInt64() >= 3 * 4096);
        Assert.True(storage.GetProperty("mediaFolderBytes").GetInt64() >= storage.GetProperty("originalBytes").GetInt64());
        Assert.True(storage.GetProperty("freeBytes").GetInt64() > 0);
    }

    [Fact]
    public async Task Only_an_admin_sees_the_status()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Editor.Client.GetAsync("/api/admin/status", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/admin/status", Ct)).StatusCode);
    }
}
