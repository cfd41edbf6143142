using Veeky.Tests.Infrastructure;
using Veeky.Web.Components.Shared;

namespace Veeky.Tests.Web;

public sealed class SnippetTests
{
    [Fact]
    public void Highlights_survive_as_mark_elements() =>
        Assert.Equal("the <mark>revenue</mark> grew", SnippetSanitizer.ToSafeHtml("the <mark>revenue</mark> grew"));

    [Fact]
    public void A_script_in_a_snippet_stays_text() =>
        Assert.Equal("a &lt;script&gt;alert(1)&lt;/script&gt; b", SnippetSanitizer.ToSafeHtml("a <script>alert(1)</script> b"));

    [Fact]
    public void A_script_the_api_escaped_stays_text() =>
        Assert.Equal("&lt;script&gt;x&lt;/script&gt;", SnippetSanitizer.ToSafeHtml("&lt;script&gt;x&lt;/script&gt;"));

    [Theory]
    [InlineData("<mark onclick=\"steal()\">x</mark>")]
    [InlineData("<MARK>x</MARK>")]
    [InlineData("<mark >x</mark >")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>")]
    public void Only_the_exact_mark_tags_are_restored(string snippet)
    {
        var html = SnippetSanitizer.ToSafeHtml(snippet);
        Assert.DoesNotContain("<", html.Replace("<mark>", "").Replace("</mark>", ""));
        Assert.DoesNotContain("<mark ", html);
    }

    [Fact]
    public void Text_escaped_by_the_api_is_not_escaped_twice() =>
        Assert.Equal("Tom &amp; Jerry", SnippetSanitizer.ToSafeHtml("Tom &amp; Jerry"));

    [Fact]
    public async Task The_snippet_component_renders_highlights_but_not_script()
    {
        var html = await WebComponentRenderer.RenderAsync<Snippet>(
            new Dictionary<string, object?> { ["Text"] = WebFakeApi.HostileSnippet });

        Assert.Contains("<mark>revenue</mark>", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("&lt;script&gt;", html);
    }
}
