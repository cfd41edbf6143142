using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>An upload that fills the media folder's disk is the server's trouble, not the uploader's: a 507 with a
/// sentence, a log line with the cause, and nothing of it left on that disk or in the database.</summary>
public sealed class UploadDiskFullTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_upload_that_fills_the_disk_answers_507_with_a_sentence_logs_the_cause_and_leaves_nothing_behind()
    {
        using var disk = TinyDisk.Mount(megabytes: 2);
        var log = new ApiLogSink();
        await using var api = new LoggingApiFactory(log, new Dictionary<string, string?> { ["Veeky:MediaDirectory"] = disk.Path });
        var client = api.CreateClient();
        var token = await (await client.PostAsJsonAsync("/api/auth/login", new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct))
            .Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        var category = await (await client.PostAsJsonAsync("/api/categories", new { name = "Full" }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var file = new ByteArrayContent(new byte[3 * 1024 * 1024]);
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("Too big for this disk"), "title" },
            { new StringContent(category.GetProperty("id").GetString()!), "categoryId" },
            { file, "file", "clip.mp4" },
        };

        using var response = await client.PostAsync("/api/videos", form, Ct);

        Assert.True(response.StatusCode == HttpStatusCode.InsufficientStorage, await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString();
        Assert.Contains("no room left", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(disk.Path, detail, StringComparison.Ordinal);
        Assert.Contains(log.Messages, m => m.StartsWith("Could not store the upload of video", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(disk.Path, "*", SearchOption.AllDirectories));
        await using var db = api.CreateDbContext();
        Assert.Equal(0, await db.Videos.CountAsync(Ct));
        Assert.Equal(0, await db.Jobs.CountAsync(Ct));
    }
}
