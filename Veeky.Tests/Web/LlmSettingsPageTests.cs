using System.Net;
using System.Text.Json;
using Veeky.Contracts;
using Veeky.Tests.Infrastructure;
using Veeky.Web.Api;

namespace Veeky.Tests.Web;

/// <summary>The admin pages for LLM settings against a stand-in API.</summary>
public sealed class LlmSettingsPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpClient> SignedInClientAsync(WebUiFactory factory)
    {
        var client = factory.CreateBrowserlikeClient();
        using var signIn = await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    [Fact]
    public async Task The_settings_page_lists_each_purpose_with_its_model_and_an_edit_link()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        var html = await client.GetStringAsync("/admin/llm-settings", Ct);

        Assert.Contains("<code>llava</code>", html);
        Assert.Contains("href=\"/admin/llm-settings/caption\"", html);
    }

    [Fact]
    public async Task Saving_a_setting_puts_the_numbers_and_endpoint()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        using var saved = await WebPageForms.PostFormAsync(client, "/admin/llm-settings/caption", new Dictionary<string, string>
        {
            ["Input.Model"] = "llava:13b",
            ["Input.Temperature"] = "0.7",
            ["Input.MaxTokens"] = "512",
            ["Input.Endpoint"] = "http://gpu-box:11434",
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/admin/llm-settings", saved.Headers.Location?.AbsolutePath);
        var put = Assert.Single(factory.Api.Requests, r => r.Method == HttpMethod.Put);
        var body = JsonSerializer.Deserialize<LlmSettingRequest>(put.Body, VeekyApiClient.Json)!;
        Assert.Equal(new LlmSettingRequest("llava:13b", 0.7, 512, "http://gpu-box:11434"), body);
    }

    [Fact]
    public async Task A_refused_setting_shows_the_api_sentence()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        using var refused = await WebPageForms.PostFormAsync(client, "/admin/llm-settings/caption", new Dictionary<string, string>
        {
            ["Input.Model"] = "llava",
            ["Input.Temperature"] = "3",
            ["Input.MaxTokens"] = "256",
        });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("The temperature must be between 0 and 2.", await refused.Content.ReadAsStringAsync(Ct));
    }
}
