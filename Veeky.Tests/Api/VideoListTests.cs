using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>The library's query of <c>GET /api/videos</c>: words of the title or description, uploader, and the four
/// orders, all inside the one visibility-filtered database query.</summary>
[Collection(ApiCollection.Name)]
public sealed class VideoListTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_word_must_appear_in_the_title_or_the_description_in_any_case()
    {
        var category = await api.CreateCategoryAsync("Words " + Guid.NewGuid().ToString("N")[..6]);
        var both = await SeedAsync(category, api.Admin.Id, "Quarterly review", "Revenue by REGION");
        await SeedAsync(category, api.Admin.Id, "Quarterly planning", "Hiring");
        await SeedAsync(category, api.Admin.Id, "Region tour", null);

        var found = await ListAsync(api.Admin.Client, $"categoryId={category}&q=quarterly%20region");

        Assert.Equal([both], Ids(found));
        Assert.Equal(1, found.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_uploader_filter_keeps_one_persons_uploads()
    {
        var category = await api.CreateCategoryAsync("Uploader " + Guid.NewGuid().ToString("N")[..6]);
        var mine = await SeedAsync(category, api.Editor.Id, "Mine", null);
        await SeedAsync(category, api.OtherEditor.Id, "Theirs", null);

        var found = await ListAsync(api.Admin.Client, $"categoryId={category}&uploaderId={api.Editor.Id}");

        Assert.Equal([mine], Ids(found));
    }

    [Fact]
    public async Task Oldest_title_and_duration_orders_page_through_the_filtered_set()
    {
        var category = await api.CreateCategoryAsync("Orders " + Guid.NewGuid().ToString("N")[..6]);
        var banana = await SeedAsync(category, api.Admin.Id, "banana", null, duration: 30);
        var apple = await SeedAsync(category, api.Admin.Id, "Apple", null, duration: 5);
        var cherry = await SeedAsync(category, api.Admin.Id, "Cherry", null, duration: null);
        var date = await SeedAsync(category, api.Admin.Id, "date", null, duration: 90);

        Assert.Equal([date, cherry, apple, banana], Ids(await ListAsync(api.Admin.Client, $"categoryId={category}")));
        Assert.Equal([banana, apple, cherry, date], Ids(await ListAsync(api.Admin.Client, $"categoryId={category}&sort=oldest")));
        Assert.Equal([apple, banana, cherry, date], Ids(await ListAsync(api.Admin.Client, $"categoryId={category}&sort=title")));
        Assert.Equal([date, banana, apple, cherry], Ids(await ListAsync(api.Admin.Client, $"categoryId={category}&sort=duration")));
        var second = await ListAsync(api.Admin.Client, $"categoryId={category}&sort=title&pageSize=3&page=2");
        Assert.Equal([date], Ids(second));
        Assert.Equal(4, second.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_unknown_sort_is_a_400_naming_the_choices()
    {
        using var response = await api.Admin.Client.GetAsync("/api/videos?sort=size", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("newest, oldest, title, duration", problem.GetProperty("errors").GetProperty("sort")[0].GetString());
    }

    [Fact]
    public async Task Filters_never_reach_videos_outside_the_callers_categories()
    {
        var word = "hiddenword" + Guid.NewGuid().ToString("N")[..6];
        var hidden = await SeedAsync(api.Hidden, api.Admin.Id, "Secret " + word, null);
        var visible = await SeedAsync(api.Visible, api.Editor.Id, "Open " + word, null);

        var asReader = await ListAsync(api.Reader.Client, $"q={word}&sort=title");
        var byHiddenCategory = await ListAsync(api.Reader.Client, $"q={word}&categoryId={api.Hidden}");
        var byUploader = await ListAsync(api.Reader.Client, $"q={word}&uploaderId={api.Admin.Id}");

        Assert.Equal([visible], Ids(asReader));
        Assert.Equal(1, asReader.GetProperty("total").GetInt32());
        Assert.Empty(Ids(byHiddenCategory));
        Assert.Empty(Ids(byUploader));
        Assert.Equal([visible, hidden], Ids(await ListAsync(api.Admin.Client, $"q={word}&sort=title")));
    }

    /// <summary>A seeded video with the given description and duration, created a few milliseconds after the previous one.</summary>
    private async Task<Guid> SeedAsync(Guid category, Guid uploader, string title, string? description, double? duration = 10)
    {
        var video = await api.SeedVideoAsync(category, uploader, title);
        await using var db = api.Factory.CreateDbContext();
        await db.Videos.Where(v => v.Id == video.Id).ExecuteUpdateAsync(
            set => set.SetProperty(v => v.Description, description).SetProperty(v => v.DurationSeconds, duration), Ct);
        // CreatedAt orders the list: keep the seeds apart on a coarse clock.
        await Task.Delay(15, Ct);
        return video.Id;
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string query) =>
        await client.GetFromJsonAsync<JsonElement>("/api/videos?" + query, Ct);

    private static Guid[] Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()).ToArray();
}
