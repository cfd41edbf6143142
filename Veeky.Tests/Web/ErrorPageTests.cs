using System.Net;
using System.Net.Http.Headers;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>
/// An address that names no page gets the UI's "not found" page, with a heading, in both editions; an address under
/// <c>/api</c> that names no endpoint keeps the API's problem answer. In the all-in-one host both share one pipeline,
/// so the API's status-code pages must not answer for the pages, nor the pages' for the API.
/// </summary>
public sealed class ErrorPageTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/admin/users")]
    public async Task An_unknown_address_in_the_all_in_one_host_shows_the_not_found_page(string path)
    {
        using var client = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);

        using var response = await GetHtmlAsync(client, path);

        await AssertNotFoundPageAsync(response);
    }

    [Fact]
    public async Task An_unknown_address_in_the_all_in_one_host_shows_the_not_found_page_before_signing_in_too()
    {
        using var client = host.CreateBrowserlikeClient();

        using var response = await GetHtmlAsync(client, "/no-such-page");

        await AssertNotFoundPageAsync(response);
    }

    [Fact]
    public async Task An_unknown_api_endpoint_in_the_all_in_one_host_stays_a_problem_answer()
    {
        using var client = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await client.GetAsync("/api/no-such-endpoint", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<h1", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task An_unknown_address_in_the_ui_only_host_shows_the_not_found_page()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();
        using var signIn = await WebPageForms.SignInAsync(client, WebFakeApi.Email, WebFakeApi.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var response = await GetHtmlAsync(client, "/no-such-page");

        await AssertNotFoundPageAsync(response);
    }

    [Fact]
    public async Task An_unknown_api_address_in_the_ui_only_host_is_no_page()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var response = await GetHtmlAsync(client, "/api/no-such-endpoint");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/status/404")]
    [InlineData("/status/500")]
    [InlineData("/access-denied")]
    [InlineData("/not-found")]
    public async Task Every_error_page_has_one_heading(string path)
    {
        using var client = await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);

        using var response = await GetHtmlAsync(client, path);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(1, CountOf(html, "<h1"));
    }

    private static async Task<HttpResponseMessage> GetHtmlAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return await client.SendAsync(request, Ct);
    }

    private static async Task AssertNotFoundPageAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, CountOf(html, "<h1"));
        Assert.Contains("There is nothing at this address", html);
        Assert.Contains("href=\"/\"", html);
    }

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
