using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Veeky.Tests.Infrastructure;
using Veeky.Videos;
using static Microsoft.Playwright.Assertions;

namespace Veeky.Tests.Web;

/// <summary>
/// The polish axe and Lighthouse asked for, each seen in the all-in-one host: pages sent compressed (and the
/// precompressed assets not twice), a description per page, the account menu named by what it shows and closed by
/// Esc, focus rings that show on cards and text fields, the first card's thumbnail loaded at once.
/// </summary>
public sealed partial class AccessibilityPolishTests(WebAllInOneHost host) : IClassFixture<WebAllInOneHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pages_are_sent_compressed_and_the_precompressed_styles_are_not_compressed_again()
    {
        using var client = await SignedInClientAsync();

        using var page = await GetAsync(client, "/", "br, gzip");
        var html = await ReadAsync(page);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["br"], page.Content.Headers.ContentEncoding);
        Assert.Contains("<h1>Library</h1>", html);

        var stylesheet = StylesheetHref().Match(html).Groups["href"].Value;
        using var css = await GetAsync(client, stylesheet, "br, gzip");
        Assert.Single(css.Content.Headers.ContentEncoding);
        var wwwroot = Path.Combine(StartedHost.RepositoryRoot, "Veeky.Web", "wwwroot", "css", "app.css");
        Assert.Equal(await File.ReadAllTextAsync(wwwroot, Ct), await ReadAsync(css));
    }

    [Fact]
    public async Task Every_page_describes_itself_in_one_meta_description()
    {
        using var client = await SignedInClientAsync();
        var descriptions = new Dictionary<string, string>();

        foreach (var path in new[] { "/", "/search", "/upload", "/account", "/account/api-keys", "/admin" })
        {
            var html = await client.GetStringAsync(path, Ct);
            var found = MetaDescription().Matches(html);
            Assert.True(found.Count == 1, $"{path} has {found.Count} descriptions");
            descriptions[path] = found[0].Groups["content"].Value;
        }
        using var signedOut = host.CreateBrowserlikeClient();
        descriptions["/login"] = MetaDescription().Match(await signedOut.GetStringAsync("/login", Ct)).Groups["content"].Value;

        Assert.All(descriptions.Values, d => Assert.InRange(d.Length, 40, 160));
        Assert.Equal(descriptions.Count, descriptions.Values.Distinct().Count());
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task The_account_menu_is_named_by_the_email_it_shows_and_esc_closes_it(string width)
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, width == "phone" ? WebBrowser.Phone : WebBrowser.Desktop);
        var menu = page.Locator("details.user-menu");
        var button = menu.Locator("summary");

        await Expect(button).ToHaveAccessibleNameAsync(WebAllInOneHost.AdminEmail);
        await button.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("open", "");
        await page.Keyboard.PressAsync("Escape");

        await Expect(menu).Not.ToHaveAttributeAsync("open", new Regex(".*"));
        await Expect(button).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Cards_and_text_fields_show_a_solid_focus_ring_in_the_accent_and_the_first_thumbnail_loads_at_once()
    {
        Requires.Tools(WebBrowser.ChromiumPath);
        await SeedTwoVideosWithThumbnailsAsync();
        await using var browser = await WebBrowser.LaunchAsync();
        var page = await SignedInPageAsync(browser, WebBrowser.Desktop);
        var accent = await page.EvaluateAsync<string>("() => { const e = document.createElement('i'); e.style.color = 'var(--accent)'; document.body.append(e); const c = getComputedStyle(e).color; e.remove(); return c; }");

        await page.Locator(".card__link").First.FocusAsync();
        var card = await OutlineAsync(page, ".card:has(.card__link:focus-visible)");
        await page.Locator("#top-search").FocusAsync();
        var field = await OutlineAsync(page, "#top-search");

        foreach (var ring in new[] { card, field })
        {
            Assert.Equal("solid", ring.Style);
            Assert.True(ring.Width >= 2, $"a {ring.Width}px ring");
            Assert.Equal(accent, ring.Color);
        }
        // The card's ring is drawn outside it, where its own overflow:hidden cannot cut it off.
        Assert.True(card.Offset > 0);
        var loading = await page.Locator(".card__thumb img").EvaluateAllAsync<string[]>("imgs => imgs.map(i => i.loading)");
        Assert.Equal("eager", loading[0]);
        Assert.All(loading.Skip(1), l => Assert.Equal("lazy", l));
    }

    private async Task SeedTwoVideosWithThumbnailsAsync()
    {
        using var api = await host.SignInToApiAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);
        var category = await WebAllInOneHost.CreateCategoryAsync(api, "Polish " + Guid.NewGuid().ToString("N")[..6]);
        var me = await api.GetStringAsync("api/auth/me", Ct);
        var adminId = Guid.Parse(System.Text.Json.JsonDocument.Parse(me).RootElement.GetProperty("id").GetString()!);
        for (var i = 0; i < 2; i++)
        {
            var video = await host.SeedVideoAsync(category, adminId, VideoStatus.Completed);
            // A thumbnail file where the media store keeps it, so the card shows an image.
            var store = host.Services.GetRequiredService<Veeky.Media.IMediaStore>();
            var path = store.GetFullPath(store.ThumbnailPath(video.Id));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, [0xFF, 0xD8, 0xFF, 0xD9], Ct);
        }
    }

    private sealed record Outline(string Style, double Width, string Color, double Offset);

    private static async Task<Outline> OutlineAsync(IPage page, string selector)
    {
        var values = await page.Locator(selector).EvaluateAsync<string[]>(
            "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset]; }");
        return new Outline(values[0], double.Parse(values[1].TrimEnd('p', 'x'), System.Globalization.CultureInfo.InvariantCulture), values[2],
            double.Parse(values[3].TrimEnd('p', 'x'), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<IPage> SignedInPageAsync(WebBrowser browser, ViewportSize viewport)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseUrl + "/login");
        await WebBrowser.SignInOnPageAsync(page, WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword, host.BaseUrl + "/");
        return page;
    }

    private async Task<HttpClient> SignedInClientAsync() =>
        await host.SignInToWebAsync(WebAllInOneHost.AdminEmail, WebAllInOneHost.AdminPassword);

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    /// <summary>The body as text, undoing the one encoding it came in (the client decompresses nothing itself).</summary>
    private static async Task<string> ReadAsync(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        await using Stream decoded = response.Content.Headers.ContentEncoding.SingleOrDefault() switch
        {
            "br" => new BrotliStream(body, CompressionMode.Decompress),
            "gzip" => new GZipStream(body, CompressionMode.Decompress),
            null => body,
            var other => throw new InvalidOperationException("Unexpected encoding " + other),
        };
        using var reader = new StreamReader(decoded);
        return await reader.ReadToEndAsync(Ct);
    }

    [GeneratedRegex("""<link rel="stylesheet" href="(?<href>/?css/app\.[^"]+\.css)" """)]
    private static partial Regex StylesheetHref();

    [GeneratedRegex("""<meta name="description" content="(?<content>[^"]*)" """)]
    private static partial Regex MetaDescription();
}
