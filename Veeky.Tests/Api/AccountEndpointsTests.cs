using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Identity;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>A person's own account: a new password, sign out everywhere, and an admin's one-time reset link.</summary>
[Collection(ApiCollection.Name)]
public sealed class AccountEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_ends_the_other_sessions()
    {
        var (email, here) = await NewUserAsync();
        using var elsewhere = await api.SignInAsync(email, ApiFixture.Password);

        using var wrong = await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Not-the-passw0rd", newPassword = "Fresh-Passw0rd-2" }, Ct);
        using var weak = await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = ApiFixture.Password, newPassword = "short" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await wrong.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("currentPassword", out _));
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await weak.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/api/auth/me", Ct)).StatusCode);

        using var changed = await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = ApiFixture.Password, newPassword = "Fresh-Passw0rd-2" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/api/auth/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/api/auth/me", Ct)).StatusCode);
        using var withOld = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = ApiFixture.Password }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        using var withNew = await api.SignInAsync(email, "Fresh-Passw0rd-2");
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_of_the_caller_and_no_one_elses()
    {
        var (email, here) = await NewUserAsync();
        using var elsewhere = await api.SignInAsync(email, ApiFixture.Password);

        using var ended = await here.PostAsync("/api/auth/sessions/end-all", null, Ct);

        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await here.GetAsync("/api/auth/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/api/auth/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Reader.Client.GetAsync("/api/auth/me", Ct)).StatusCode);
        using var again = await api.SignInAsync(email, ApiFixture.Password);
    }

    [Fact]
    public async Task An_admins_reset_link_sets_a_new_password_once_and_ends_the_users_sessions()
    {
        var (email, session) = await NewUserAsync();
        var id = (await session.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await api.Editor.Client.PostAsync($"/api/users/{id}/password-reset", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Admin.Client.PostAsync($"/api/users/{Guid.NewGuid()}/password-reset", null, Ct)).StatusCode);

        using var created = await api.Admin.Client.PostAsync($"/api/users/{id}/password-reset", null, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var link = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var token = link.GetProperty("token").GetString();
        Assert.Equal($"/reset-password?user={id}&token={Uri.EscapeDataString(token!)}", link.GetProperty("path").GetString());
        Assert.True(link.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        using var used = await api.Anonymous().PostAsJsonAsync("/api/auth/password-reset", new { userId = id, token, newPassword = "Reset-Passw0rd-3" }, Ct);
        using var reused = await api.Anonymous().PostAsJsonAsync("/api/auth/password-reset", new { userId = id, token, newPassword = "Other-Passw0rd-4" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, used.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Contains("not valid", (await reused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("token")[0].GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/auth/me", Ct)).StatusCode);
        using var signedIn = await api.SignInAsync(email, "Reset-Passw0rd-3");
    }

    [Fact]
    public async Task A_made_up_reset_token_is_a_400_that_changes_nothing()
    {
        var (email, session) = await NewUserAsync();
        var id = (await session.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct)).GetProperty("id").GetGuid();

        using var refused = await api.Anonymous().PostAsJsonAsync("/api/auth/password-reset", new { userId = id, token = "made-up", newPassword = "Reset-Passw0rd-3" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/auth/me", Ct)).StatusCode);
        using var stillWorks = await api.SignInAsync(email, ApiFixture.Password);
    }

    private async Task<(string Email, HttpClient Client)> NewUserAsync()
    {
        var email = $"account-{Guid.NewGuid():N}@test.local";
        var actor = await api.CreateUserAsync(email, Roles.User, api.Visible);
        return (email, actor.Client);
    }
}
