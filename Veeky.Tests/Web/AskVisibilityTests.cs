using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>
/// The Ask box is offered only while a chat model is configured. Without one a User sees nothing of it and an Admin
/// one line linking to the model settings; the API says which it is at <c>GET /api/ask/availability</c>.
/// </summary>
public sealed class AskVisibilityTests(WebAllInOneHost withoutChat) : IClassFixture<WebAllInOneHost>
{
    private const string UserPassword = "Ask-Visibility-Passw0rd!";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_chat_model_a_user_sees_nothing_of_ask()
    {
        var html = await SearchPageAsync(withoutChat, await CreateUserAsync(withoutChat, "User"));

        Assert.DoesNotContain("data-ask-box", html);
        Assert.DoesNotContain("data-ask-off", html);
        Assert.DoesNotContain("Ask your videos", html);
        Assert.DoesNotContain("action=\"/ask\"", html);
    }

    [Fact]
    public async Task Without_a_chat_model_an_admin_sees_one_line_linking_to_the_model_settings()
    {
        var html = await SearchPageAsync(withoutChat, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);

        Assert.DoesNotContain("data-ask-box", html);
        Assert.DoesNotContain("action=\"/ask\"", html);
        var line = Assert.Single(html.Split('\n'), l => l.Contains("data-ask-off", StringComparison.Ordinal));
        Assert.Contains("no chat model is configured", line);
        Assert.Contains("href=\"/admin/llm-settings\"", line);
    }

    [Fact]
    public async Task With_a_chat_model_a_user_and_an_admin_see_the_ask_box()
    {
        // Nothing is asked here, so the model server need not exist: being configured is what counts.
        await using var withChat = WebAllInOneHost.WithSettings(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ollama-chat"] = "Endpoint=http://127.0.0.1:9;Model=llama3.2",
        });
        await withChat.InitializeAsync();

        var asUser = await SearchPageAsync(withChat, await CreateUserAsync(withChat, "User"));
        var asAdmin = await SearchPageAsync(withChat, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);

        foreach (var html in new[] { asUser, asAdmin })
        {
            Assert.Contains("data-ask-box", html);
            Assert.Contains("action=\"/ask\"", html);
            Assert.DoesNotContain("data-ask-off", html);
        }
        Assert.True(await AvailableAsync(withChat));
    }

    [Fact]
    public async Task The_api_says_whether_questions_can_be_asked_to_signed_in_callers_only()
    {
        Assert.False(await AvailableAsync(withoutChat));

        using var anonymous = new HttpClient { BaseAddress = new Uri(withoutChat.BaseUrl + "/") };
        using var refused = await anonymous.GetAsync("api/ask/availability", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task In_the_ui_only_host_the_box_follows_what_the_api_says(bool chatConfigured)
    {
        await using var factory = new WebUiFactory();
        factory.Api.ChatConfigured = chatConfigured;
        factory.Api.Role = "User";
        using var client = factory.CreateBrowserlikeClient();
        using var signIn = await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var html = await client.GetStringAsync("/search?q=revenue", Ct);

        Assert.Equal(chatConfigured, html.Contains("data-ask-box", StringComparison.Ordinal));
        Assert.DoesNotContain("data-ask-off", html);
    }

    private static async Task<bool> AvailableAsync(WebAllInOneHost host)
    {
        using var api = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var answer = await api.GetFromJsonAsync<JsonElement>("api/ask/availability", Ct);
        return answer.GetProperty("available").GetBoolean();
    }

    /// <summary>A new account with <paramref name="role"/> in a category of its own; its email.</summary>
    private static async Task<string> CreateUserAsync(WebAllInOneHost host, string role)
    {
        using var admin = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(admin, "Ask " + Guid.NewGuid().ToString("N")[..8]);
        var email = $"ask-{Guid.NewGuid():N}@veeky.test";
        using var created = await admin.PostAsJsonAsync("api/users", new { email, password = UserPassword, role, categoryIds = new[] { category } }, Ct);
        created.EnsureSuccessStatusCode();
        return email;
    }

    private static Task<string> SearchPageAsync(WebAllInOneHost host, string email) => SearchPageAsync(host, email, UserPassword);

    private static async Task<string> SearchPageAsync(WebAllInOneHost host, string email, string password)
    {
        using var client = await host.SignInToWebAsync(email, password);
        using var response = await client.GetAsync("/search?q=budget", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
