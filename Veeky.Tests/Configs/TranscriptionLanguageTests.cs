using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Configs;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Configs;

/// <summary>The optional <c>language</c> of an LLM setting: validated, stored lower-case, read by the pipeline's store.</summary>
[Collection(ApiCollection.Name)]
public sealed class TranscriptionLanguageTests(ApiFixture api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_language_is_saved_read_back_and_reaches_the_pipeline_store_and_an_empty_one_means_detect()
    {
        var client = api.Admin.Client;
        var store = api.Factory.Services.GetRequiredService<IConfigStore>();

        var saved = await client.PutAsJsonAsync("/api/configs/llm-settings/transcription",
            new { model = "whisper-1", temperature = 0, maxTokens = 1, language = "DE" }, Ct);

        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync(Ct));
        Assert.Equal("de", (await saved.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("language").GetString());
        var read = await client.GetFromJsonAsync<JsonElement>("/api/configs/llm-settings/transcription", Ct);
        Assert.Equal("de", read.GetProperty("language").GetString());
        Assert.Equal("de", (await store.GetLlmSettingAsync(LlmPurposes.Transcription, Ct))?.Language);

        var cleared = await client.PutAsJsonAsync("/api/configs/llm-settings/transcription",
            new { model = "whisper-1", temperature = 0, maxTokens = 1, language = "" }, Ct);

        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await cleared.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("language").ValueKind);
        Assert.Null((await store.GetLlmSettingAsync(LlmPurposes.Transcription, Ct))?.Language);
    }

    [Theory]
    [InlineData("english")]
    [InlineData("e")]
    [InlineData("d3")]
    [InlineData("en-US")]
    public async Task A_language_that_is_not_two_letters_is_a_400_naming_the_field_and_changes_nothing(string language)
    {
        var client = api.Admin.Client;
        var before = await client.GetFromJsonAsync<JsonElement>("/api/configs/llm-settings/transcription", Ct);

        var response = await client.PutAsJsonAsync("/api/configs/llm-settings/transcription",
            new { model = "changed-model", temperature = 0, maxTokens = 1, language }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.Contains("ISO 639-1", errors.GetProperty("language")[0].GetString());
        var after = await client.GetFromJsonAsync<JsonElement>("/api/configs/llm-settings/transcription", Ct);
        Assert.Equal(before.GetProperty("model").GetString(), after.GetProperty("model").GetString());
    }
}
