using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Identity;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class UserEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_lists_users_with_role_and_categories()
    {
        var users = await api.Admin.Client.GetFromJsonAsync<JsonElement[]>("/api/users", Ct);

        var reader = Assert.Single(users!, u => u.GetProperty("id").GetGuid() == api.Reader.Id);
        Assert.Equal("reader@test.local", reader.GetProperty("email").GetString());
        Assert.Equal(Roles.User, reader.GetProperty("role").GetString());
        Assert.Equal([api.Visible], reader.GetProperty("categoryIds").EnumerateArray().Select(c => c.GetGuid()));
    }

    [Fact]
    public async Task Creating_a_user_answers_201_and_the_user_can_sign_in()
    {
        var response = await api.Admin.Client.PostAsJsonAsync("/api/users",
            new { email = "new-user@test.local", password = "New-Passw0rd!", role = "Editor", categoryIds = new[] { api.Visible } }, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(Roles.Editor, user.GetProperty("role").GetString());
        Assert.Equal($"/api/users/{user.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        var me = await (await api.SignInAsync("new-user@test.local", "New-Passw0rd!")).GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);
        Assert.Equal(user.GetProperty("id").GetGuid(), me.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Creating_a_user_with_an_existing_email_is_409()
    {
        var response = await api.Admin.Client.PostAsJsonAsync("/api/users",
            new { email = "READER@test.local", password = "New-Passw0rd!", role = "User", categoryIds = Array.Empty<Guid>() }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task A_weak_password_is_a_400_validation_problem_on_the_password_field()
    {
        var response = await api.Admin.Client.PostAsJsonAsync("/api/users",
            new { email = "weak@test.local", password = "short", role = "User", categoryIds = Array.Empty<Guid>() }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task An_unknown_role_or_category_is_a_400_validation_problem()
    {
        var response = await api.Admin.Client.PostAsJsonAsync("/api/users",
            new { email = "bad@test.local", password = "New-Passw0rd!", role = "Owner", categoryIds = new[] { Guid.NewGuid() } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("role", out _));
        Assert.True(errors.TryGetProperty("categoryIds", out _));
    }

    [Fact]
    public async Task Updating_role_and_categories_applies_to_the_users_next_request()
    {
        var user = await api.CreateUserAsync("promoted@test.local", Roles.User);

        var response = await api.Admin.Client.PutAsJsonAsync($"/api/users/{user.Id}",
            new { role = "Editor", categoryIds = new[] { api.Visible, api.Hidden } }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await user.Client.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);
        Assert.Equal(Roles.Editor, me.GetProperty("role").GetString());
        Assert.Equal(2, me.GetProperty("categoryIds").GetArrayLength());
    }

    [Fact]
    public async Task Updating_an_unknown_user_is_404()
    {
        var response = await api.Admin.Client.PutAsJsonAsync($"/api/users/{Guid.NewGuid()}", new { role = "User", categoryIds = Array.Empty<Guid>() }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Deleting_a_user_answers_204_and_their_token_stops_working()
    {
        var user = await api.CreateUserAsync("leaving@test.local", Roles.User, api.Visible);

        var response = await api.Admin.Client.DeleteAsync($"/api/users/{user.Id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.Client.GetAsync("/api/auth/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Admin.Client.DeleteAsync($"/api/users/{user.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Admins_cannot_delete_themselves()
    {
        var response = await api.Admin.Client.DeleteAsync($"/api/users/{api.Admin.Id}", Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Only_admins_manage_users()
    {
        foreach (var actor in new[] { api.Editor, api.Reader, api.Outsider })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.GetAsync("/api/users", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PostAsJsonAsync("/api/users",
                new { email = "sneaky@test.local", password = "Sneaky-Passw0rd!", role = "Admin", categoryIds = Array.Empty<Guid>() }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PutAsJsonAsync($"/api/users/{actor.Id}",
                new { role = "Admin", categoryIds = Array.Empty<Guid>() }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.DeleteAsync($"/api/users/{api.Admin.Id}", Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/users", Ct)).StatusCode);
    }
}
