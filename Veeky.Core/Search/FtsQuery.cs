using System.Globalization;
using System.Text;

namespace Veeky.Search;

/// <summary>
/// Turns what a user typed into an FTS5 MATCH expression in which every word is a quoted string, so no FTS5 syntax
/// (quotes, <c>NEAR(</c>, <c>*</c>, <c>-</c>, <c>AND</c>/<c>OR</c>/<c>NOT</c>, brackets, column filters) ever reaches
/// the parser from the user.
/// </summary>
public static class FtsQuery
{
    /// <summary>
    /// Terms kept from one query. FTS5 rejects expressions nested deeper than 256 levels, and past a few dozen words a
    /// pasted paragraph adds nothing to the ranking but cost.
    /// </summary>
    public const int MaxTerms = 32;

    /// <summary>Last terms shorter than this are not prefix-matched: one letter would expand to most of the vocabulary.</summary>
    public const int MinPrefixLength = 2;

    /// <summary>
    /// The distinct words of <paramref name="text"/>, split where FTS5's unicode61 tokenizer splits: a word is a run of
    /// letters, digits or combining marks; everything else (punctuation, symbols, emoji, private-use characters) separates.
    /// </summary>
    public static IReadOnlyList<string> Terms(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return terms;
        }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                word.Append(rune.ToString());
                continue;
            }
            if (Flush(word, terms, seen))
            {
                return terms;
            }
        }
        Flush(word, terms, seen);
        return terms;
    }

    /// <summary>
    /// The MATCH expression for <paramref name="terms"/>, or null when there are none. With <paramref name="requireAll"/>
    /// every term must occur (AND), otherwise any (OR). With <paramref name="prefixLast"/> the last term also matches as
    /// a prefix, for search as you type; the exact form stays in the expression too, so a whole-word match scores above
    /// a word that merely starts the same way.
    /// </summary>
    public static string? Build(IReadOnlyList<string> terms, bool requireAll, bool prefixLast)
    {
        if (terms.Count == 0)
        {
            return null;
        }
        var parts = new List<string>(terms.Count);
        for (var i = 0; i < terms.Count; i++)
        {
            var quoted = Quote(terms[i]);
            var isLast = i == terms.Count - 1;
            parts.Add(isLast && prefixLast && terms[i].Length >= MinPrefixLength ? $"({quoted} OR {quoted}*)" : quoted);
        }
        return string.Join(requireAll ? " AND " : " OR ", parts);
    }

    /// <summary>Whether the user is still typing the last word (no separator after it), which makes it a prefix.</summary>
    public static bool EndsInWord(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var last = text.EnumerateRunes().LastOrDefault();
        return IsWordRune(last);
    }

    /// <summary>An FTS5 string: double quotes inside are doubled, so the content is always one literal.</summary>
    public static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static bool IsWordRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => true,
        // Private-use characters are word characters to unicode61 but separators here: the index starts its scope
        // tokens with one, and user words must never be able to spell a scope token.
        _ => false,
    };

    /// <summary>Adds the pending word if new; true when the term limit is reached.</summary>
    private static bool Flush(StringBuilder word, List<string> terms, HashSet<string> seen)
    {
        if (word.Length > 0)
        {
            var term = word.ToString();
            word.Clear();
            if (seen.Add(term))
            {
                terms.Add(term);
            }
        }
        return terms.Count >= MaxTerms;
    }
}
