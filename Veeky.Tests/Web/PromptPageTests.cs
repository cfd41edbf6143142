using System.Net;
using System.Text.Json;
using Veeky.Contracts;
using Veeky.Tests.Infrastructure;
using Veeky.Web.Api;

namespace Veeky.Tests.Web;

/// <summary>The admin pages for prompts against a stand-in API: listing, saving, and the API's refusal shown.</summary>
public sealed class PromptPageTests
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
    public async Task The_admin_page_links_to_prompts_and_the_prompts_page_lists_them_with_edit_links()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        var admin = await client.GetStringAsync("/admin", Ct);
        var html = await client.GetStringAsync("/admin/prompts", Ct);

        Assert.Contains("href=\"/admin/prompts\"", admin);
        Assert.Contains("href=\"/admin/llm-settings\"", admin);
        Assert.Contains("Describes a keyframe.", html);
        Assert.Contains("href=\"/admin/prompts/caption\"", html);
    }

    [Fact]
    public async Task Saving_a_prompt_puts_the_template_and_returns_to_the_list()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        var page = await client.GetStringAsync("/admin/prompts/caption", Ct);
        using var saved = await WebPageForms.PostFormAsync(client, "/admin/prompts/caption", new Dictionary<string, string>
        {
            ["Input.Template"] = "What does {{title}} show here?",
            ["Input.Description"] = "Shorter",
        });

        Assert.Contains("Describe this frame of {{title}}.</textarea>", page);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/admin/prompts", saved.Headers.Location?.AbsolutePath);
        var put = Assert.Single(factory.Api.Requests, r => r.Method == HttpMethod.Put);
        Assert.Equal("/api/configs/prompts/caption", put.Path);
        var body = JsonSerializer.Deserialize<PromptRequest>(put.Body, VeekyApiClient.Json)!;
        Assert.Equal("What does {{title}} show here?", body.Template);
        Assert.Equal("Shorter", body.Description);
    }

    [Fact]
    public async Task An_unknown_placeholder_keeps_the_form_and_names_the_placeholder()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        using var refused = await WebPageForms.PostFormAsync(client, "/admin/prompts/caption", new Dictionary<string, string>
        {
            ["Input.Template"] = "Is it raining in {{weather}}?",
        });
        var html = await refused.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Unknown placeholder {{weather}}", html);
        Assert.Contains("Is it raining in {{weather}}?</textarea>", html);
    }

    [Fact]
    public async Task A_user_without_the_admin_role_is_turned_away_from_the_prompts_page()
    {
        await using var factory = new WebUiFactory();
        factory.Api.Role = "Editor";
        using var client = await SignedInClientAsync(factory);

        using var response = await client.GetAsync("/admin/prompts", Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/access-denied", response.Headers.Location!.PathAndQuery);
    }
}
