using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Veeky.Configs;
using Veeky.Tests.Infrastructure;
using Veeky.Tests.Web;

namespace Veeky.Tests.Configs;

/// <summary>The admin page of the transcription setting edits its language through the real API (all-in-one host).</summary>
public sealed class LlmSettingLanguagePageTests(AskBrowserTests.Host host) : IClassFixture<AskBrowserTests.Host>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_transcription_page_saves_a_language_refuses_a_bad_one_with_the_apis_sentence_and_other_purposes_have_no_field()
    {
        using var client = host.CreateClient();
        using (var signIn = await WebPageForms.SignInAsync(client, AskBrowserTests.Host.AdminEmail, AskBrowserTests.Host.AdminPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }
        Assert.DoesNotContain("id=\"language\"", await client.GetStringAsync("/admin/llm-settings/caption", Ct));
        Assert.Contains("id=\"language\"", await client.GetStringAsync("/admin/llm-settings/transcription", Ct));
        var store = host.Services.GetRequiredService<IConfigStore>();

        using var saved = await WebPageForms.PostFormAsync(client, "/admin/llm-settings/transcription", Fields("De"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("de", (await store.GetLlmSettingAsync(LlmPurposes.Transcription, Ct))?.Language);

        using var refused = await WebPageForms.PostFormAsync(client, "/admin/llm-settings/transcription", Fields("d3"));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("ISO 639-1", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal("de", (await store.GetLlmSettingAsync(LlmPurposes.Transcription, Ct))?.Language);

        using var cleared = await WebPageForms.PostFormAsync(client, "/admin/llm-settings/transcription", Fields(""));
        Assert.Equal(HttpStatusCode.Redirect, cleared.StatusCode);
        Assert.Null((await store.GetLlmSettingAsync(LlmPurposes.Transcription, Ct))?.Language);
    }

    private static Dictionary<string, string> Fields(string language) => new()
    {
        ["Input.Model"] = "whisper-1",
        ["Input.Temperature"] = "0",
        ["Input.MaxTokens"] = "4096",
        ["Input.Language"] = language,
    };
}
