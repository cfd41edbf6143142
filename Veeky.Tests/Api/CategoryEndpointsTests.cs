using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class CategoryEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_caller_lists_only_the_categories_they_can_see()
    {
        async Task<Guid[]> ListAsync(Actor actor) =>
            (await actor.Client.GetFromJsonAsync<JsonElement[]>("/api/categories", Ct))!.Select(c => c.GetProperty("id").GetGuid()).ToArray();

        Assert.Contains(api.Hidden, await ListAsync(api.Admin));
        Assert.Contains(api.Visible, await ListAsync(api.Admin));
        Assert.Equal([api.Visible], await ListAsync(api.Editor));
        Assert.Equal([api.Visible], await ListAsync(api.Reader));
        Assert.Empty(await ListAsync(api.Outsider));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/categories", Ct)).StatusCode);
    }

    [Fact]
    public async Task Creating_a_category_answers_201_and_a_duplicate_name_409()
    {
        var created = await api.Admin.Client.PostAsJsonAsync("/api/categories", new { name = "Lectures", imageEmbeddingModel = "clip" }, Ct);
        var duplicate = await api.Admin.Client.PostAsJsonAsync("/api/categories", new { name = "Lectures" }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var category = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Lectures", category.GetProperty("name").GetString());
        Assert.Equal("clip", category.GetProperty("imageEmbeddingModel").GetString());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task A_blank_name_is_a_400_validation_problem()
    {
        var response = await api.Admin.Client.PostAsJsonAsync("/api/categories", new { name = "  " }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Updating_renames_and_a_taken_name_is_409()
    {
        var id = await api.CreateCategoryAsync("Before rename");

        var renamed = await api.Admin.Client.PutAsJsonAsync($"/api/categories/{id}", new { name = "After rename" }, Ct);
        var clash = await api.Admin.Client.PutAsJsonAsync($"/api/categories/{id}", new { name = "Visible" }, Ct);
        var unknown = await api.Admin.Client.PutAsJsonAsync($"/api/categories/{Guid.NewGuid()}", new { name = "Nobody" }, Ct);

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("After rename", (await renamed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_category_in_use_cannot_be_deleted_and_an_unused_one_can()
    {
        var used = await api.CreateCategoryAsync("Used");
        await api.SeedVideoAsync(used, api.Admin.Id);
        var unused = await api.CreateCategoryAsync("Unused");

        Assert.Equal(HttpStatusCode.Conflict, (await api.Admin.Client.DeleteAsync($"/api/categories/{used}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin.Client.DeleteAsync($"/api/categories/{unused}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Admin.Client.DeleteAsync($"/api/categories/{unused}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Only_admins_manage_categories()
    {
        foreach (var actor in new[] { api.Editor, api.Reader, api.Outsider })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PostAsJsonAsync("/api/categories", new { name = "Mine" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PutAsJsonAsync($"/api/categories/{api.Visible}", new { name = "Mine" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.DeleteAsync($"/api/categories/{api.Visible}", Ct)).StatusCode);
        }
    }
}
