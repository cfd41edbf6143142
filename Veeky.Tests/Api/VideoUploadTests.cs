using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Jobs;
using Veeky.Processes;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class VideoUploadTests(ApiFixture api)
{
    private static readonly Lazy<Task<byte[]>> TinyMp4 = new(GenerateTinyMp4Async);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_real_video_is_accepted_stored_under_a_server_chosen_name_and_queued_in_one_go()
    {
        Requires.Tools("ffmpeg", "ffprobe");
        var bytes = await TinyMp4.Value;

        var response = await api.Editor.Client.PostAsync("/api/videos",
            Form(bytes, fileName: "../../etc/evil name.mp4", title: "  Tiny clip ", keywords: "colour, bars, colour"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var video = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = video.GetProperty("id").GetGuid();
        Assert.Equal($"/api/videos/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("Pending", video.GetProperty("status").GetString());
        Assert.Equal("Tiny clip", video.GetProperty("title").GetString());
        Assert.Equal(["colour", "bars"], video.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(160, video.GetProperty("width").GetInt32());
        Assert.Equal(bytes.Length, video.GetProperty("sizeBytes").GetInt64());

        await using var db = api.Factory.CreateDbContext();
        var row = await db.Videos.SingleAsync(v => v.Id == id, Ct);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), row.Sha256);
        Assert.Equal($"videos/{id:N}/original.mp4", row.StoragePath);
        Assert.Equal(api.Editor.Id, row.UploaderId);
        Assert.Equal(JobStatus.Queued, (await db.Jobs.SingleAsync(j => j.VideoId == id, Ct)).Status);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(api.Factory.MediaDirectory, row.StoragePath), Ct));
        Assert.DoesNotContain(api.Factory.MediaFiles(), f => f.Contains("evil", StringComparison.Ordinal) || f.EndsWith(".partial", StringComparison.Ordinal) || f.EndsWith(".upload", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await api.Reader.Client.GetAsync($"/api/videos/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_file_may_come_before_the_text_fields()
    {
        Requires.Tools("ffmpeg", "ffprobe");

        var response = await api.Admin.Client.PostAsync("/api/videos", Form(await TinyMp4.Value, fileFirst: true), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Upload_of_a_text_file_is_refused_and_leaves_nothing_behind()
    {
        Requires.Tools("ffprobe");

        await AssertRefusedAsync(Form(Encoding.UTF8.GetBytes("This is not a video, whatever its name says.\n"), fileName: "notes.mp4"),
            HttpStatusCode.BadRequest, "file");
    }

    [Fact]
    public async Task Upload_of_an_empty_file_is_refused_and_leaves_nothing_behind()
    {
        await AssertRefusedAsync(Form([]), HttpStatusCode.BadRequest, "file");
    }

    [Fact]
    public async Task Upload_above_the_size_limit_is_413_and_leaves_nothing_behind()
    {
        await AssertRefusedAsync(Form(new byte[ApiFixture.MaxUploadBytes + 1]), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Upload_far_above_the_size_limit_is_refused_before_reading_it()
    {
        await AssertRefusedAsync(Form(new byte[ApiFixture.MaxUploadBytes + 2 * 1024 * 1024]), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Upload_without_a_title_is_refused_and_leaves_nothing_behind()
    {
        await AssertRefusedAsync(Form([1, 2, 3], title: null), HttpStatusCode.BadRequest, "title");
    }

    [Fact]
    public async Task Upload_with_a_title_over_200_characters_is_refused()
    {
        await AssertRefusedAsync(Form([1, 2, 3], title: new string('t', 201)), HttpStatusCode.BadRequest, "title");
    }

    [Fact]
    public async Task Upload_without_a_category_is_refused_and_leaves_nothing_behind()
    {
        await AssertRefusedAsync(Form([1, 2, 3], withCategory: false), HttpStatusCode.BadRequest, "categoryId");
    }

    [Fact]
    public async Task Upload_into_a_category_the_editor_cannot_see_is_refused_and_leaves_nothing_behind()
    {
        await AssertRefusedAsync(Form([1, 2, 3], categoryId: api.Hidden), HttpStatusCode.BadRequest, "categoryId");
    }

    [Fact]
    public async Task Upload_without_a_file_is_refused()
    {
        await AssertRefusedAsync(Form(null), HttpStatusCode.BadRequest, "file");
    }

    [Fact]
    public async Task Users_cannot_upload_and_anonymous_callers_must_sign_in()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Reader.Client.PostAsync("/api/videos", Form([1, 2, 3]), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsync("/api/videos", Form([1, 2, 3]), Ct)).StatusCode);
    }

    private async Task AssertRefusedAsync(MultipartFormDataContent form, HttpStatusCode expected, string? field = null)
    {
        var filesBefore = api.Factory.MediaFiles();
        await using var db = api.Factory.CreateDbContext();
        var videosBefore = await db.Videos.CountAsync(Ct);
        var jobsBefore = await db.Jobs.CountAsync(Ct);

        var response = await api.Editor.Client.PostAsync("/api/videos", form, Ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
        }
        Assert.Equal(filesBefore, api.Factory.MediaFiles());
        Assert.Equal(videosBefore, await db.Videos.CountAsync(Ct));
        Assert.Equal(jobsBefore, await db.Jobs.CountAsync(Ct));
    }

    private MultipartFormDataContent Form(byte[]? file, string fileName = "clip.mp4", string? title = "A title",
        string? keywords = null, bool fileFirst = false, Guid? categoryId = null, bool withCategory = true)
    {
        var form = new MultipartFormDataContent();
        var category = categoryId ?? api.Visible;
        if (file is not null && fileFirst)
        {
            AddFile(form, file, fileName);
        }
        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }
        if (withCategory)
        {
            form.Add(new StringContent(category.ToString()), "categoryId");
        }
        if (keywords is not null)
        {
            form.Add(new StringContent(keywords), "keywords");
        }
        if (file is not null && !fileFirst)
        {
            AddFile(form, file, fileName);
        }
        return form;
    }

    private static void AddFile(MultipartFormDataContent form, byte[] file, string fileName)
    {
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(content, "file", fileName);
    }

    private static async Task<byte[]> GenerateTinyMp4Async()
    {
        using var folder = new TempFolder("veeky-upload");
        var path = folder.File("tiny.mp4");
        var runner = new ProcessRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<ProcessRunner>.Instance);
        await runner.RunAsync("ffmpeg",
            ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1", "-pix_fmt", "yuv420p", "-y", path],
            TimeSpan.FromMinutes(1), CancellationToken.None);
        return await File.ReadAllBytesAsync(path);
    }
}
