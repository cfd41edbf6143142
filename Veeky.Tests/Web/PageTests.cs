using System.Net;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Web;

/// <summary>The server-rendered pages against a stand-in API: what they show, and to whom.</summary>
public sealed class PageTests
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
    public async Task Search_results_link_to_the_moment_and_render_highlights_but_never_script()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        var html = await client.GetStringAsync("/search?q=revenue", Ct);

        Assert.Contains($"href=\"/videos/{WebFakeApi.AllHands.Id}?t=4.5\"", html);
        Assert.Contains("<mark>revenue</mark>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("00:04", html);
        Assert.Contains("00:12", html);
        Assert.Contains(factory.Api.Requests, r => r.Path.StartsWith("/api/search?q=revenue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_as_you_type_gets_the_results_alone_as_a_fragment()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        using var response = await client.GetAsync("/search/results?q=revenue", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"href=\"/videos/{WebFakeApi.AllHands.Id}?t=4.5\"", html);
        Assert.Contains("<mark>revenue</mark>", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<html", html);
        Assert.DoesNotContain("topbar", html);
    }

    [Fact]
    public async Task The_video_page_starts_at_t_and_lists_moments_that_seek()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        var html = await client.GetStringAsync($"/videos/{WebFakeApi.AllHands.Id}?t=4.5", Ct);

        Assert.Contains("<video id=\"player\"", html);
        Assert.Contains("data-start=\"4.5\"", html);
        Assert.Contains("data-seek=\"4.5\"", html);
        Assert.Contains("revenue grew twelve percent", html);
        Assert.Contains("Q3 ALL-HANDS", html);
        // The timeline strip and the moments list show the small copies, never the full keyframe.
        Assert.Contains("class=\"timeline__frame\" src=\"/media/t1.jpg\"", html);
        Assert.Contains("class=\"segment__frame\" src=\"/media/t1.jpg\"", html);
        Assert.DoesNotContain("/media/k1.jpg", html);
        // The chapters strip under the player, the chapter at ?t= already marked for a page seen before its script runs.
        Assert.Contains("aria-label=\"Chapter 1, 00:00 to 00:04\"", html);
        Assert.Contains("class=\"timeline__chapter is-current\"", html);
        Assert.Contains("aria-label=\"Chapter 2, 00:04 to 00:12\" aria-current=\"time\"", html);
        Assert.Contains("class=\"segment is-current\"", html);
    }

    [Fact]
    public async Task The_video_page_fetches_the_first_keyframe_of_each_list_at_once_and_the_rest_lazily()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        var html = await client.GetStringAsync($"/videos/{WebFakeApi.AllHands.Id}", Ct);

        // In view on arrival (under the player, at the top of the moments): loading it lazily only waits for layout.
        foreach (var list in new[] { "timeline__frame", "segment__frame" })
        {
            var frames = System.Text.RegularExpressions.Regex.Matches(html, $"<img class=\"{list}\"[^>]*>").Select(m => m.Value).ToList();
            Assert.True(frames.Count >= 2, $"{list}: {frames.Count} frames");
            Assert.DoesNotContain("loading=", frames[0]);
            Assert.All(frames.Skip(1), frame => Assert.Contains("loading=\"lazy\"", frame));
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/search?q=revenue")]
    [InlineData("/upload")]
    [InlineData("/videos/{0}")]
    public async Task A_page_links_one_stylesheet_for_all_its_styles(string path)
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        var html = await client.GetStringAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, path, WebFakeApi.AllHands.Id), Ct);

        // Each stylesheet in the head blocks the first paint until it arrives: one request, not one per feature.
        var sheets = System.Text.RegularExpressions.Regex.Matches(html, "<link rel=\"stylesheet\" href=\"(?<href>[^\"]+)\"");
        var sheet = Assert.Single(sheets);
        Assert.Matches("^/?css/app(\\.[a-z0-9]+)?\\.css$", sheet.Groups["href"].Value);
    }

    [Fact]
    public async Task A_video_the_api_does_not_show_is_reported_as_missing()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        using var response = await client.GetAsync($"/videos/{Guid.NewGuid()}", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("does not exist, or it is not in a category you can see", html);
        Assert.Contains("Back to the library", html);
        Assert.Contains("<nav", html); // inside the site's layout, not a bare page
        Assert.DoesNotContain("<video", html);
    }

    [Fact]
    public async Task The_library_filters_by_the_category_in_the_address()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);
        var category = WebFakeApi.Engineering.Id;

        var html = await client.GetStringAsync($"/?categoryId={category}", Ct);

        Assert.Contains(WebFakeApi.AllHands.Title, html);
        Assert.Contains(factory.Api.Requests, r => r.Path.StartsWith($"/api/videos?categoryId={category}", StringComparison.Ordinal));
        Assert.Contains($"<option value=\"{category}\" selected>", html);
    }

    [Fact]
    public async Task The_library_offers_edit_and_bulk_changes_to_those_who_may_change_the_video_only()
    {
        await using var factory = new WebUiFactory();
        using var admin = await SignedInClientAsync(factory);
        var adminHtml = await admin.GetStringAsync("/?q=revenue&sort=title&status=Completed", Ct);
        factory.Api.Role = "User";
        using var reader = await SignedInClientAsync(factory);
        var readerHtml = await reader.GetStringAsync("/", Ct);

        Assert.Contains("<form id=\"bulk\"", adminHtml);
        Assert.Contains($"form=\"bulk\" aria-label=\"Select {WebFakeApi.AllHands.Title}\"", adminHtml);
        Assert.Contains($"href=\"/videos/{WebFakeApi.AllHands.Id}/edit?returnUrl=", adminHtml);
        Assert.Contains(factory.Api.Requests, r => r.Path == "/api/videos?q=revenue&status=Completed&sort=title&page=1&pageSize=24");
        Assert.DoesNotContain("id=\"bulk\"", readerHtml);
        Assert.DoesNotContain("/edit", readerHtml);
        Assert.DoesNotContain("id=\"library-uploader\"", readerHtml);
    }

    [Theory]
    [InlineData("/upload")]
    [InlineData("/admin")]
    public async Task A_user_without_the_role_is_turned_away_from_editor_and_admin_pages(string path)
    {
        await using var factory = new WebUiFactory();
        factory.Api.Role = "User";
        using var client = await SignedInClientAsync(factory);

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/access-denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Pages_open_to_anyone_still_show_the_signed_in_menu()
    {
        await using var factory = new WebUiFactory();
        factory.Api.Role = "User";
        using var client = await SignedInClientAsync(factory);

        var html = await client.GetStringAsync("/access-denied", Ct);

        Assert.Contains("Your role does not allow this page", html);
        Assert.Contains(WebFakeApi.Email, html);
        Assert.Contains("action=\"/logout\"", html);
    }

    [Fact]
    public async Task A_user_sees_no_upload_or_admin_links()
    {
        await using var factory = new WebUiFactory();
        factory.Api.Role = "User";
        using var client = await SignedInClientAsync(factory);

        var html = await client.GetStringAsync("/", Ct);

        Assert.DoesNotContain("href=\"/upload\"", html);
        Assert.DoesNotContain("href=\"/admin\"", html);
        // The nav says which page is open, to screen readers as well as by colour.
        Assert.Contains("href=\"/\" class=\"active\" aria-current=\"page\"", html);
    }

    [Fact]
    public async Task No_page_loads_the_interactive_blazor_script()
    {
        await using var factory = new WebUiFactory();
        using var client = await SignedInClientAsync(factory);

        var html = await client.GetStringAsync("/", Ct);

        Assert.DoesNotContain("blazor.web.js", html);
        Assert.Contains("js/app.", html);
    }
}
