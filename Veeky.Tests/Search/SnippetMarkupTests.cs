using Veeky.Search;

namespace Veeky.Tests.Search;

public sealed class SnippetMarkupTests
{
    [Fact]
    public void Markers_become_mark_tags_and_everything_else_is_escaped()
    {
        var html = SnippetMarkup.ToHtml($"a <b> & \"c\" 'd' {SnippetMarkup.Open}word{SnippetMarkup.Close}");

        Assert.Equal("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; <mark>word</mark>", html);
    }

    [Fact]
    public void Indexed_text_cannot_smuggle_in_markers()
    {
        var cleaned = SnippetMarkup.Clean($"x{SnippetMarkup.Open}y{SnippetMarkup.Close}z{SnippetMarkup.ScopeMark}");

        Assert.Equal("x y z ", cleaned);
    }

    [Fact]
    public void The_head_of_a_long_text_is_cut_at_a_word_and_escaped()
    {
        var text = "<i>" + string.Join(' ', Enumerable.Repeat("word", 100));

        var head = SnippetMarkup.Head(text);

        Assert.StartsWith("&lt;i&gt;word word", head);
        Assert.EndsWith("word…", head);
        Assert.True(head.Length < SnippetMarkup.HeadLength + 10);
    }

    [Fact]
    public void A_head_without_spaces_is_not_cut_inside_a_surrogate_pair()
    {
        var text = new string('a', SnippetMarkup.HeadLength - 1) + string.Concat(Enumerable.Repeat("🔪", 10));

        var head = SnippetMarkup.Head(text);

        Assert.Equal(new string('a', SnippetMarkup.HeadLength - 1) + "…", head);
    }
}
