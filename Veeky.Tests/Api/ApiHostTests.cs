using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ApiHostTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_is_anonymous_and_reports_database_search_queue_and_capabilities()
    {
        var response = await api.Anonymous().GetAsync("/health", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var checks = health.GetProperty("checks");
        foreach (var name in new[] { "database", "search", "queue", "capabilities" })
        {
            Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString());
        }
        var capabilities = checks.GetProperty("capabilities").GetProperty("data");
        Assert.Contains(capabilities.GetProperty("transcription").GetString(), new[] { "pocketsphinx", "none" });
        Assert.Contains(capabilities.GetProperty("ocr").GetString(), new[] { "tesseract", "none" });
        Assert.Equal("none", capabilities.GetProperty("embeddings").GetString());
    }

    [Fact]
    public async Task Alive_is_anonymous()
    {
        Assert.Equal(HttpStatusCode.OK, (await api.Anonymous().GetAsync("/alive", Ct)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_is_served_and_describes_the_endpoints()
    {
        var document = await api.Anonymous().GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/auth/login", "/api/videos", "/api/videos/{id}/stream", "/api/search", "/api/categories", "/api/users" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        }
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task A_second_start_on_the_same_data_keeps_users_and_categories()
    {
        using var data = new TempFolder("veeky-api-restart");
        await using (var first = new ApiFactory(data.Path))
        {
            var admin = first.CreateClient();
            var token = await (await admin.PostAsJsonAsync("/api/auth/login",
                new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            admin.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
            (await admin.PostAsJsonAsync("/api/categories", new { name = "Kept" }, Ct)).EnsureSuccessStatusCode();
        }

        // The second start is configured with another admin: the first one exists, so none is created.
        await using var second = new ApiFactory(data.Path, new Dictionary<string, string?> { ["Veeky:BootstrapAdmin:Email"] = "second@test.local" });
        var login = await second.CreateClient().PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        await using var db = second.CreateDbContext();
        Assert.Equal(1, await db.Users.CountAsync(Ct));
        Assert.Equal(["Kept"], await db.Categories.Select(c => c.Name).ToListAsync(Ct));
    }

    [Fact]
    public async Task Without_configured_credentials_the_first_admin_gets_a_generated_password_logged_once()
    {
        var log = new ApiLogSink();
        await using var factory = new LoggingApiFactory(log, new Dictionary<string, string?>
        {
            ["Veeky:BootstrapAdmin:Email"] = null,
            ["Veeky:BootstrapAdmin:Password"] = null,
        });
        factory.CreateClient();

        var warning = Assert.Single(log.Messages, m => m.Contains("admin@veeky.local", StringComparison.Ordinal));
        var password = warning.Split("generated password ")[1].Split(". ")[0];
        var login = await factory.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "admin@veeky.local", password }, Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }
}
