using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Identity;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

/// <summary>API keys: made by a signed-in user for themselves, shown once, stored as a hash, acting as their user with
/// that user's current role and categories until revoked, expired or the user is deleted.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiKeyTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> CreateKeyAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/auth/keys", body, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private HttpClient ClientWithKey(JsonElement created)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("key").GetString());
        return client;
    }

    private static async Task<JsonElement[]> ListAsync(HttpClient client, string query = "") =>
        (await client.GetFromJsonAsync<JsonElement[]>($"/api/auth/keys{query}", Ct))!;

    [Fact]
    public async Task A_new_key_is_shown_once_acts_as_its_user_and_is_listed_without_its_secret()
    {
        var created = await CreateKeyAsync(api.Reader.Client, new { name = "nightly export" });
        var key = created.GetProperty("key").GetString()!;

        var me = await ClientWithKey(created).GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);
        var listed = Assert.Single(await ListAsync(api.Reader.Client), k => k.GetProperty("id").GetGuid() == created.GetProperty("id").GetGuid());

        Assert.StartsWith("vk_", key);
        Assert.True(key.Length >= 46, "256 random bits in base64url after the prefix");
        Assert.Equal(JsonValueKind.Null, created.GetProperty("expiresAt").ValueKind);
        Assert.Equal(api.Reader.Id, me.GetProperty("id").GetGuid());
        Assert.Equal(Roles.User, me.GetProperty("role").GetString());
        Assert.Equal("nightly export", listed.GetProperty("name").GetString());
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.Equal(key[..7], listed.GetProperty("prefix").GetString());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);
        // Only the hash is stored: the database holds nothing that works as the key.
        await using var db = api.Factory.CreateDbContext();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == created.GetProperty("id").GetGuid(), Ct);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key))), stored.Hash);
        Assert.DoesNotContain(key[7..], stored.Hash + stored.Prefix + stored.Name);
    }

    [Fact]
    public async Task A_revoked_key_gets_401_from_the_next_request()
    {
        var created = await CreateKeyAsync(api.Reader.Client, new { name = "to revoke", expiresInDays = 30 });
        var client = ClientWithKey(created);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me", Ct)).StatusCode);

        var revoked = await api.Reader.Client.DeleteAsync($"/api/auth/keys/{created.GetProperty("id").GetGuid()}", Ct);
        var after = await client.GetAsync("/api/videos", Ct);
        var again = await api.Reader.Client.DeleteAsync($"/api/auth/keys/{created.GetProperty("id").GetGuid()}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.DoesNotContain(await ListAsync(api.Reader.Client), k => k.GetProperty("id").GetGuid() == created.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_expired_key_gets_401()
    {
        var created = await CreateKeyAsync(api.Reader.Client, new { name = "short-lived", expiresInDays = 1 });
        Assert.InRange(created.GetProperty("expiresAt").GetDateTimeOffset() - created.GetProperty("createdAt").GetDateTimeOffset(),
            TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
        await using (var db = api.Factory.CreateDbContext())
        {
            var key = await db.ApiKeys.SingleAsync(k => k.Id == created.GetProperty("id").GetGuid(), Ct);
            key.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
            await db.SaveChangesAsync(Ct);
        }

        var response = await ClientWithKey(created).GetAsync("/api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_lists_and_revokes_another_users_key_and_a_user_cannot()
    {
        var created = await CreateKeyAsync(api.Editor.Client, new { name = "editor's script" });
        var id = created.GetProperty("id").GetGuid();

        var othersList = await api.Reader.Client.GetAsync($"/api/auth/keys?userId={api.Editor.Id}", Ct);
        var othersRevoke = await api.Reader.Client.DeleteAsync($"/api/auth/keys/{id}", Ct);
        var adminList = await ListAsync(api.Admin.Client, $"?userId={api.Editor.Id}");
        var adminRevoke = await api.Admin.Client.DeleteAsync($"/api/auth/keys/{id}", Ct);
        var after = await ClientWithKey(created).GetAsync("/api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, othersList.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, othersRevoke.StatusCode);
        Assert.Contains(adminList, k => k.GetProperty("id").GetGuid() == id && k.GetProperty("userId").GetGuid() == api.Editor.Id);
        Assert.Equal(HttpStatusCode.NoContent, adminRevoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_users_key_cannot_reach_editor_or_admin_endpoints_nor_hidden_videos()
    {
        var hidden = await api.SeedVideoAsync(api.Hidden, api.Admin.Id);
        var visible = await api.SeedVideoAsync(api.Visible, api.Editor.Id);
        var client = ClientWithKey(await CreateKeyAsync(api.Reader.Client, new { name = "reader key" }));

        var upload = await client.PostAsync("/api/videos", new MultipartFormDataContent(), Ct);
        var reindex = await client.PostAsync($"/api/videos/{visible.Id}/reindex", null, Ct);
        var users = await client.GetAsync("/api/users", Ct);
        var hiddenVideo = await client.GetAsync($"/api/videos/{hidden.Id}", Ct);
        var visibleVideo = await client.GetAsync($"/api/videos/{visible.Id}", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, upload.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reindex.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, hiddenVideo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, visibleVideo.StatusCode);
    }

    [Fact]
    public async Task A_key_follows_its_users_current_role_and_stops_when_the_user_is_deleted()
    {
        var user = await api.CreateUserAsync("key-owner@test.local", Roles.User, api.Visible);
        var created = await CreateKeyAsync(user.Client, new { name = "owner's key" });
        var client = ClientWithKey(created);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/videos", new MultipartFormDataContent(), Ct)).StatusCode);

        var promoted = await api.Admin.Client.PutAsJsonAsync($"/api/users/{user.Id}", new { role = Roles.Editor, categoryIds = new[] { api.Visible } }, Ct);
        promoted.EnsureSuccessStatusCode();
        var asEditor = await client.PostAsync("/api/videos", new MultipartFormDataContent(), Ct);
        (await api.Admin.Client.DeleteAsync($"/api/users/{user.Id}", Ct)).EnsureSuccessStatusCode();
        var afterDelete = await client.GetAsync("/api/auth/me", Ct);

        // Past authorization now: the empty upload form is refused for what it lacks, not for who sent it.
        Assert.Equal(HttpStatusCode.BadRequest, asEditor.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterDelete.StatusCode);
        await using var db = api.Factory.CreateDbContext();
        Assert.False(await db.ApiKeys.AnyAsync(k => k.UserId == user.Id, Ct));
    }

    [Fact]
    public async Task A_key_cannot_make_more_keys()
    {
        var client = ClientWithKey(await CreateKeyAsync(api.Reader.Client, new { name = "first" }));

        var response = await client.PostAsJsonAsync("/api/auth/keys", new { name = "second" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("signed-in session", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData(null, null, "name")]
    [InlineData("   ", null, "name")]
    [InlineData("x", 0, "expiresInDays")]
    [InlineData("x", 3651, "expiresInDays")]
    public async Task A_missing_name_or_a_lifetime_outside_1_to_3650_days_is_refused_with_the_field_named(string? name, int? expiresInDays, string field)
    {
        var before = (await ListAsync(api.Outsider.Client)).Length;

        var response = await api.Outsider.Client.PostAsJsonAsync("/api/auth/keys", new { name, expiresInDays }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, (await ListAsync(api.Outsider.Client)).Length);
    }

    [Fact]
    public async Task A_name_longer_than_100_characters_is_refused()
    {
        var response = await api.Outsider.Client.PostAsJsonAsync("/api/auth/keys", new { name = new string('k', 101) }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("name", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task The_last_used_time_is_written_at_most_once_a_minute()
    {
        var created = await CreateKeyAsync(api.Reader.Client, new { name = "busy script" });
        var id = created.GetProperty("id").GetGuid();
        var client = ClientWithKey(created);
        (await client.GetAsync("/api/auth/me", Ct)).EnsureSuccessStatusCode();
        var first = await LastUsedAsync(id);

        (await client.GetAsync("/api/auth/me", Ct)).EnsureSuccessStatusCode();
        var second = await LastUsedAsync(id);
        await using (var db = api.Factory.CreateDbContext())
        {
            await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, first!.Value.AddMinutes(-2)), Ct);
        }
        (await client.GetAsync("/api/auth/me", Ct)).EnsureSuccessStatusCode();
        var third = await LastUsedAsync(id);

        Assert.NotNull(first);
        Assert.Equal(first, second);
        Assert.True(third > first!.Value.AddMinutes(-2), "a use more than a minute after the last one is written");
    }

    [Fact]
    public async Task Without_a_token_the_key_endpoints_answer_401()
    {
        var response = await api.Anonymous().GetAsync("/api/auth/keys", Ct);
        var wrongKey = api.Anonymous();
        wrongKey.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "vk_not-a-key-anyone-made");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync("/api/auth/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_key_endpoints_and_keys_as_bearer_tokens()
    {
        var document = await api.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        var keys = document.GetProperty("paths").GetProperty("/api/auth/keys");
        Assert.True(keys.TryGetProperty("post", out _));
        Assert.True(keys.TryGetProperty("get", out _));
        Assert.True(document.GetProperty("paths").GetProperty("/api/auth/keys/{id}").TryGetProperty("delete", out _));
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Contains("API key", bearer.GetProperty("description").GetString());
    }

    private async Task<DateTimeOffset?> LastUsedAsync(Guid id)
    {
        await using var db = api.Factory.CreateDbContext();
        return await db.ApiKeys.Where(k => k.Id == id).Select(k => k.LastUsedAt).SingleAsync(Ct);
    }
}
