using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Jobs;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class VideoEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task List_is_newest_first_with_total_and_paging()
    {
        var category = await api.CreateCategoryAsync("Paging");
        var first = await api.SeedVideoAsync(category, api.Admin.Id, "Paging one");
        var second = await api.SeedVideoAsync(category, api.Admin.Id, "Paging two");
        var third = await api.SeedVideoAsync(category, api.Admin.Id, "Paging three");

        var page1 = await api.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/videos?categoryId={category}&pageSize=2", Ct);
        var page2 = await api.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/videos?categoryId={category}&pageSize=2&page=2", Ct);

        Assert.Equal(3, page1.GetProperty("total").GetInt32());
        Assert.Equal(2, page1.GetProperty("pageSize").GetInt32());
        Assert.Equal([third.Id, second.Id], Ids(page1));
        Assert.Equal([first.Id], Ids(page2));
        Assert.Equal(2, page2.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task List_filters_by_status_and_title_words()
    {
        var category = await api.CreateCategoryAsync("Filters");
        var pending = await api.SeedVideoAsync(category, api.Admin.Id, "Quarterly REVENUE review", VideoStatus.Pending);
        await api.SeedVideoAsync(category, api.Admin.Id, "Team offsite", VideoStatus.Completed);

        var byStatus = await api.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/videos?categoryId={category}&status=Pending", Ct);
        var byWords = await api.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/videos?categoryId={category}&q=revenue", Ct);

        Assert.Equal([pending.Id], Ids(byStatus));
        Assert.Equal([pending.Id], Ids(byWords));
    }

    [Fact]
    public async Task A_page_size_above_100_is_a_400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await api.Admin.Client.GetAsync("/api/videos?pageSize=101", Ct)).StatusCode);
    }

    [Fact]
    public async Task Detail_has_the_contract_fields_and_signed_media_links()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, "Detail");

        var detail = await api.Reader.Client.GetFromJsonAsync<JsonElement>($"/api/videos/{video.Id}", Ct);

        Assert.Equal("Detail", detail.GetProperty("title").GetString());
        Assert.Equal("Completed", detail.GetProperty("status").GetString());
        Assert.Equal("Done", detail.GetProperty("stage").GetString());
        Assert.Equal(10, detail.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(api.Editor.Id, detail.GetProperty("uploaderId").GetGuid());
        Assert.Equal(["seeded"], detail.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.StartsWith($"/api/videos/{video.Id}/stream?exp=", detail.GetProperty("streamUrl").GetString());
        Assert.Contains("&sig=", detail.GetProperty("thumbnailUrl").GetString());
        foreach (var field in new[] { "description", "categoryId", "progress", "error", "width", "height", "sizeBytes", "contentType",
                     "segmentCount", "summary", "createdAt", "updatedAt" })
        {
            Assert.True(detail.TryGetProperty(field, out _), $"{field} is missing");
        }
    }

    [Fact]
    public async Task Status_and_segments_describe_the_video_for_a_reader_of_its_category()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, segments: 3);

        var status = await api.Reader.Client.GetFromJsonAsync<JsonElement>($"/api/videos/{video.Id}/status", Ct);
        var segments = await api.Reader.Client.GetFromJsonAsync<JsonElement[]>($"/api/videos/{video.Id}/segments", Ct);

        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal(1, status.GetProperty("progress").GetDouble());
        Assert.Equal([0, 1, 2], segments!.Select(s => s.GetProperty("index").GetInt32()));
        Assert.Equal(5, segments![1].GetProperty("start").GetDouble());
        Assert.Equal("spoken words 1", segments[1].GetProperty("transcript").GetString());
        Assert.StartsWith($"/api/videos/{video.Id}/segments/1/keyframe?exp=", segments[1].GetProperty("keyframeUrl").GetString());
    }

    [Fact]
    public async Task The_uploading_editor_and_admins_may_edit_and_search_is_told()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        var byOwner = await api.Editor.Client.PutAsJsonAsync($"/api/videos/{video.Id}",
            new { title = "Renamed by owner", description = "New words", keywords = new[] { "a", " b ", "a" }, categoryId = api.Visible }, Ct);
        var byAdmin = await api.Admin.Client.PutAsJsonAsync($"/api/videos/{video.Id}",
            new { title = "Moved by admin", categoryId = api.Hidden }, Ct);

        Assert.Equal(HttpStatusCode.OK, byOwner.StatusCode);
        var edited = await byOwner.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Renamed by owner", edited.GetProperty("title").GetString());
        Assert.Equal(["a", "b"], edited.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        // Moved out of the reader's categories: it no longer exists for them.
        Assert.Equal(HttpStatusCode.NotFound, (await api.Reader.Client.GetAsync($"/api/videos/{video.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Other_editors_and_users_who_can_see_a_video_may_not_modify_it()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        foreach (var actor in new[] { api.OtherEditor, api.Reader })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PutAsJsonAsync($"/api/videos/{video.Id}",
                new { title = "Not yours", categoryId = api.Visible }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PostAsync($"/api/videos/{video.Id}/reindex", null, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.DeleteAsync($"/api/videos/{video.Id}", Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Editing_with_an_empty_title_or_an_invisible_category_is_a_400()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        var response = await api.Editor.Client.PutAsJsonAsync($"/api/videos/{video.Id}", new { title = "", categoryId = api.Hidden }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("title", out _));
        Assert.True(errors.TryGetProperty("categoryId", out _));
    }

    [Fact]
    public async Task Editing_with_a_body_that_is_not_json_is_a_4xx_problem_not_a_500()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        var notJson = await api.Editor.Client.PutAsync($"/api/videos/{video.Id}", new StringContent("title=x"), Ct);
        var broken = await api.Editor.Client.PutAsync($"/api/videos/{video.Id}",
            new StringContent("{\"title\":", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Reindex_queues_a_new_job_and_puts_the_video_back_to_pending()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);

        var response = await api.Editor.Client.PostAsync($"/api/videos/{video.Id}/reindex", null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var status = await api.Reader.Client.GetFromJsonAsync<JsonElement>($"/api/videos/{video.Id}/status", Ct);
        Assert.Equal("Pending", status.GetProperty("status").GetString());
        Assert.Equal("Queued", status.GetProperty("stage").GetString());
        await using var db = api.Factory.CreateDbContext();
        var job = await db.Jobs.SingleAsync(j => j.VideoId == video.Id, Ct);
        Assert.Equal(JobStatus.Queued, job.Status);
    }

    [Fact]
    public async Task Delete_removes_rows_files_and_jobs_even_while_a_job_runs()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id, status: VideoStatus.Processing);
        await using (var db = api.Factory.CreateDbContext())
        {
            var now = DateTimeOffset.UtcNow;
            db.Jobs.Add(new IndexingJob
            {
                Id = Guid.CreateVersion7(), VideoId = video.Id, Status = JobStatus.Running, Attempts = 1, RunAfter = now,
                LeaseOwner = "worker-1", LeaseExpiresAt = now.AddMinutes(1), CreatedAt = now, UpdatedAt = now,
            });
            await db.SaveChangesAsync(Ct);
        }

        var response = await api.Editor.Client.DeleteAsync($"/api/videos/{video.Id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Admin.Client.GetAsync($"/api/videos/{video.Id}", Ct)).StatusCode);
        await using var check = api.Factory.CreateDbContext();
        Assert.False(await check.Jobs.AnyAsync(j => j.VideoId == video.Id, Ct));
        Assert.False(await check.Segments.AnyAsync(s => s.VideoId == video.Id, Ct));
        Assert.DoesNotContain(api.Factory.MediaFiles(), f => f.Contains(video.Id.ToString("N"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admins_may_delete_any_video()
    {
        var video = await api.SeedVideoAsync(api.Hidden, api.Editor.Id);

        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin.Client.DeleteAsync($"/api/videos/{video.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Videos_need_a_bearer_token()
    {
        var video = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var anonymous = api.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/videos", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/videos/{video.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/videos/{video.Id}/stream", Ct)).StatusCode);
    }

    private static Guid[] Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()).ToArray();
}
