using Veeky.Search;

namespace Veeky.Tests.Search;

public sealed class FtsQueryTests
{
    [Theory]
    [InlineData("knife onion", new[] { "knife", "onion" })]
    [InlineData("NEAR(knife, 2) -onion*", new[] { "NEAR", "knife", "2", "onion" })]
    [InlineData("\"say \"\"hi\"", new[] { "say", "hi" })]
    [InlineData("🔪 knife🧅", new[] { "knife" })]
    [InlineData("سكين البصل", new[] { "سكين", "البصل" })]
    [InlineData("Knife knife KNIFE", new[] { "Knife" })]
    [InlineData("\uE000cab0 x", new[] { "cab0", "x" })]
    [InlineData("  ", new string[0])]
    public void Terms_are_the_words_without_any_syntax(string text, string[] expected)
    {
        Assert.Equal(expected, FtsQuery.Terms(text));
    }

    [Fact]
    public void Every_term_is_quoted_and_only_the_last_is_a_prefix()
    {
        Assert.Equal("\"NEAR\" AND \"knife\" AND (\"oni\" OR \"oni\"*)", FtsQuery.Build(["NEAR", "knife", "oni"], requireAll: true, prefixLast: true));
        Assert.Equal("\"NEAR\" OR \"knife\"", FtsQuery.Build(["NEAR", "knife"], requireAll: false, prefixLast: false));
        Assert.Equal("\"a\"", FtsQuery.Build(["a"], requireAll: true, prefixLast: true));
        Assert.Null(FtsQuery.Build([], requireAll: true, prefixLast: true));
    }

    [Fact]
    public void Double_quotes_inside_a_term_are_doubled()
    {
        Assert.Equal("\"a\"\"b\"", FtsQuery.Quote("a\"b"));
    }

    [Fact]
    public void A_long_text_keeps_a_bounded_number_of_terms()
    {
        var text = string.Join(' ', Enumerable.Range(0, 2000).Select(i => $"word{i}"));

        Assert.Equal(FtsQuery.MaxTerms, FtsQuery.Terms(text).Count);
    }

    [Theory]
    [InlineData("oni", true)]
    [InlineData("oni ", false)]
    [InlineData("oni!", false)]
    [InlineData("", false)]
    public void Only_a_word_still_being_typed_is_a_prefix(string text, bool expected)
    {
        Assert.Equal(expected, FtsQuery.EndsInWord(text));
    }
}
