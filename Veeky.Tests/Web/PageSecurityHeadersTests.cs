using Veeky.Api.Security;
using Veeky.Tests.Infrastructure;
using Veeky.Web;

namespace Veeky.Tests.Web;

/// <summary>The UI-only web host's answers: pages get the page Content-Security-Policy, the relayed media links the
/// API's strict one, and all of them nosniff, a Referrer-Policy and no framing.</summary>
public sealed class PageSecurityHeadersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/login")]
    [InlineData("/no-such-page")]
    public async Task Pages_carry_the_page_policy_nosniff_a_referrer_policy_and_no_framing(string path)
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(PageSecurityPolicy.Value, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public void The_page_policy_allows_nothing_inline_and_nothing_from_elsewhere()
    {
        var directives = PageSecurityPolicy.Value.Split(';', StringSplitOptions.TrimEntries);

        Assert.DoesNotContain(directives, d => d.Contains("unsafe", StringComparison.Ordinal) || d.Contains("http", StringComparison.Ordinal) || d.Contains('*'));
        Assert.Contains("script-src 'self'", directives);
        Assert.Contains("style-src 'self'", directives);
        Assert.Contains("frame-ancestors 'none'", directives);
        Assert.Contains("object-src 'none'", directives);
    }

    [Fact]
    public async Task Relayed_media_links_get_the_apis_strict_policy()
    {
        await using var factory = new WebUiFactory();
        using var client = factory.CreateBrowserlikeClient();

        using var response = await client.GetAsync($"/api/videos/{WebFakeApi.AllHands.Id}/stream?sig=valid", Ct);

        Assert.Equal(SecurityHeaders.ApiPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
