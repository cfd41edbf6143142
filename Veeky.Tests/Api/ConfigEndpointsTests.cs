using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Configs;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ConfigEndpointsTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_value_setting_is_created_replaced_read_listed_and_deleted()
    {
        var client = api.Admin.Client;

        var created = await client.PutAsJsonAsync("/api/configs/site.title", new { value = "Veeky" }, Ct);
        var replaced = await client.PutAsJsonAsync("/api/configs/site.title", new { value = "Our videos" }, Ct);
        var read = await client.GetFromJsonAsync<JsonElement>("/api/configs/site.title", Ct);
        var list = await client.GetFromJsonAsync<JsonElement[]>("/api/configs", Ct);
        var deleted = await client.DeleteAsync("/api/configs/site.title", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("Our videos", read.GetProperty("value").GetString());
        Assert.Contains(list!, c => c.GetProperty("key").GetString() == "site.title");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/configs/site.title", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/configs/site.title", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_prompt_is_created_replaced_read_listed_and_deleted()
    {
        var client = api.Admin.Client;

        var created = await client.PutAsJsonAsync("/api/configs/prompts/headline",
            new { template = "A headline for {{title}}", description = "Not used by the pipeline" }, Ct);
        var replaced = await client.PutAsJsonAsync("/api/configs/prompts/headline",
            new { template = "A short headline for {{title}}: {{transcript}}" }, Ct);
        var read = await client.GetFromJsonAsync<JsonElement>("/api/configs/prompts/headline", Ct);
        var list = await client.GetFromJsonAsync<JsonElement[]>("/api/configs/prompts", Ct);
        var deleted = await client.DeleteAsync("/api/configs/prompts/headline", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/configs/prompts/headline", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("A short headline for {{title}}: {{transcript}}", read.GetProperty("template").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("description").ValueKind);
        Assert.Contains(list!, p => p.GetProperty("name").GetString() == "headline");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/configs/prompts/headline", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/configs/prompts/headline", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_llm_setting_is_deleted_recreated_replaced_and_read()
    {
        var client = api.Admin.Client;

        var deleted = await client.DeleteAsync("/api/configs/llm-settings/transcription", Ct);
        var missing = await client.GetAsync("/api/configs/llm-settings/transcription", Ct);
        var created = await client.PutAsJsonAsync("/api/configs/llm-settings/transcription",
            new { model = "whisper-large", temperature = 0.0, maxTokens = 2048, endpoint = "http://whisper:8080" }, Ct);
        var replaced = await client.PutAsJsonAsync("/api/configs/llm-settings/transcription",
            new { model = "whisper-1", temperature = 0.0, maxTokens = 4096 }, Ct);
        var read = await client.GetFromJsonAsync<JsonElement>("/api/configs/llm-settings/transcription", Ct);
        var list = await client.GetFromJsonAsync<JsonElement[]>("/api/configs/llm-settings", Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("http://whisper:8080", (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("endpoint").GetString());
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("whisper-1", read.GetProperty("model").GetString());
        Assert.Equal(4096, read.GetProperty("maxTokens").GetInt32());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("endpoint").ValueKind);
        Assert.Equal(LlmPurposes.All, list!.Select(s => s.GetProperty("purpose").GetString()));
    }

    [Fact]
    public async Task An_unknown_placeholder_is_a_400_that_names_it()
    {
        var response = await api.Admin.Client.PutAsJsonAsync("/api/configs/prompts/answer",
            new { template = "Answer {{question}} from {{moments}} in the {{weather}}" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("template");
        var message = Assert.Single(errors.EnumerateArray()).GetString();
        Assert.Contains("{{weather}}", message, StringComparison.Ordinal);
        Assert.DoesNotContain("{{question}} is", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_placeholder_of_another_prompt_is_unknown_in_this_one()
    {
        // The answer prompt has no transcript of its own: its text comes from the moments.
        var response = await api.Admin.Client.PutAsJsonAsync("/api/configs/prompts/answer",
            new { template = "{{question}} {{transcript}}" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("{{transcript}}", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("poetry", "llama3.2", 0.5, 100, null, "purpose")]
    [InlineData("answer", " ", 0.5, 100, null, "model")]
    [InlineData("answer", "llama3.2", 2.5, 100, null, "temperature")]
    [InlineData("answer", "llama3.2", -0.1, 100, null, "temperature")]
    [InlineData("answer", "llama3.2", 0.5, 0, null, "maxTokens")]
    [InlineData("answer", "llama3.2", 0.5, 40000, null, "maxTokens")]
    [InlineData("answer", "llama3.2", 0.5, 100, "ftp://models.local", "endpoint")]
    [InlineData("answer", "llama3.2", 0.5, 100, "models.local:11434", "endpoint")]
    public async Task An_invalid_llm_setting_is_a_400_naming_the_field(string purpose, string model, double temperature, int maxTokens,
        string? endpoint, string field)
    {
        var response = await api.Admin.Client.PutAsJsonAsync($"/api/configs/llm-settings/{purpose}",
            new { model, temperature, maxTokens, endpoint }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
    }

    [Fact]
    public async Task Only_admins_read_or_change_configs()
    {
        var paths = new[] { "/api/configs", "/api/configs/prompts", "/api/configs/llm-settings", "/api/configs/prompts/caption", "/api/configs/llm-settings/caption" };
        foreach (var actor in new[] { api.Editor, api.Reader, api.Outsider })
        {
            foreach (var path in paths)
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.GetAsync(path, Ct)).StatusCode);
            }
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PutAsJsonAsync("/api/configs/prompts/caption", new { template = "x" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PutAsJsonAsync("/api/configs/llm-settings/caption",
                new { model = "x", temperature = 0, maxTokens = 1 }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.PutAsJsonAsync("/api/configs/k", new { value = "v" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.DeleteAsync("/api/configs/prompts/caption", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.DeleteAsync("/api/configs/llm-settings/caption", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await actor.Client.DeleteAsync("/api/configs/k", Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/configs/prompts", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_pipeline_store_reads_an_edit_at_once_and_renders_its_placeholders()
    {
        var store = api.Factory.Services.GetRequiredService<IConfigStore>();
        (await api.Admin.Client.PutAsJsonAsync("/api/configs/prompts/store-check",
            new { template = "Title: {{title}}; OCR: {{ ocr }}" }, Ct)).EnsureSuccessStatusCode();
        var before = await store.GetPromptAsync("store-check", Ct);
        (await api.Admin.Client.PutAsJsonAsync("/api/configs/prompts/store-check",
            new { template = "Now: {{title}}" }, Ct)).EnsureSuccessStatusCode();
        var after = await store.GetPromptAsync("store-check", Ct);

        Assert.Equal("Title: Lecture 1; OCR: ", store.Render(before!.Template, new Dictionary<string, string?> { ["title"] = "Lecture 1", ["ocr"] = null }));
        Assert.Equal("Now: {{title}}", after!.Template);
        Assert.Equal("llava", (await store.GetLlmSettingAsync(LlmPurposes.Caption, Ct))?.Model);
    }

    [Fact]
    public async Task Defaults_are_seeded_on_first_start_and_an_edit_survives_a_restart()
    {
        using var data = new TempFolder("veeky-configs-restart");
        await using (var first = new ApiFactory(data.Path))
        {
            var admin = await SignInAsync(first);
            var prompts = await admin.GetFromJsonAsync<JsonElement[]>("/api/configs/prompts", Ct);
            var settings = await admin.GetFromJsonAsync<JsonElement[]>("/api/configs/llm-settings", Ct);

            Assert.Equal(["answer", "caption", "keywords", "summary"], prompts!.Select(p => p.GetProperty("name").GetString()));
            Assert.All(prompts!, p => Assert.Contains("{{", p.GetProperty("template").GetString(), StringComparison.Ordinal));
            Assert.Equal(
                ["caption=llava", "keywords=llama3.2", "embedding=all-minilm", "answer=llama3.2", "transcription=whisper-1"],
                settings!.Select(s => $"{s.GetProperty("purpose").GetString()}={s.GetProperty("model").GetString()}"));

            (await admin.PutAsJsonAsync("/api/configs/prompts/caption", new { template = "Edited: {{title}}" }, Ct)).EnsureSuccessStatusCode();
            (await admin.PutAsJsonAsync("/api/configs/llm-settings/caption",
                new { model = "llava:13b", temperature = 0.1, maxTokens = 128 }, Ct)).EnsureSuccessStatusCode();
            (await admin.DeleteAsync("/api/configs/prompts/summary", Ct)).EnsureSuccessStatusCode();
        }

        await using var second = new ApiFactory(data.Path);
        var again = await SignInAsync(second);

        Assert.Equal("Edited: {{title}}", (await again.GetFromJsonAsync<JsonElement>("/api/configs/prompts/caption", Ct)).GetProperty("template").GetString());
        Assert.Equal("llava:13b", (await again.GetFromJsonAsync<JsonElement>("/api/configs/llm-settings/caption", Ct)).GetProperty("model").GetString());
        // Only missing rows are seeded: the deleted default is back, unedited ones are unchanged.
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/configs/prompts/summary", Ct)).StatusCode);
        Assert.Equal("llama3.2", (await again.GetFromJsonAsync<JsonElement>("/api/configs/llm-settings/keywords", Ct)).GetProperty("model").GetString());
    }

    private static async Task<HttpClient> SignInAsync(ApiFactory factory)
    {
        var client = factory.CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, Ct);
        login.EnsureSuccessStatusCode();
        var token = await login.Content.ReadFromJsonAsync<JsonElement>(Ct);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }
}
