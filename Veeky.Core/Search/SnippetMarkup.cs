using System.Text;

namespace Veeky.Search;

/// <summary>
/// Builds the snippet HTML of API.md: every character of the indexed text escaped, only the matches wrapped in
/// <c>&lt;mark&gt;</c>. FTS5's <c>snippet()</c> inserts its markers into raw text, so it is given two control characters
/// as markers; the text is escaped first and the markers become tags last.
/// </summary>
public static class SnippetMarkup
{
    /// <summary>Marker FTS5 puts before a match.</summary>
    public const char Open = '\u0001';

    /// <summary>Marker FTS5 puts after a match.</summary>
    public const char Close = '\u0002';

    /// <summary>Private-use character that starts the index's scope tokens; never part of indexed text.</summary>
    public const char ScopeMark = '\uE000';

    /// <summary>Characters of text shown for a hit found only by meaning.</summary>
    public const int HeadLength = 200;

    /// <summary>
    /// Removes the marker characters from text before it is indexed, so only FTS5 can ever produce the snippet markers
    /// and only the index itself can write a scope token.
    /// </summary>
    public static string Clean(string? text) =>
        string.IsNullOrEmpty(text) ? "" : text.Replace(Open, ' ').Replace(Close, ' ').Replace(ScopeMark, ' ');

    /// <summary>Whether the marked text holds a match.</summary>
    public static bool HasMatch(string marked) => marked.Contains(Open);

    /// <summary>Escapes the marked text and turns the markers into <c>&lt;mark&gt;</c> tags.</summary>
    public static string ToHtml(string marked)
    {
        var html = new StringBuilder(marked.Length + 32);
        foreach (var c in marked)
        {
            switch (c)
            {
                case Open: html.Append("<mark>"); break;
                case Close: html.Append("</mark>"); break;
                default: AppendEscaped(html, c); break;
            }
        }
        return html.ToString();
    }

    /// <summary>The start of a text, cut at a word boundary near <see cref="HeadLength"/> characters, escaped, no marks.</summary>
    public static string Head(string? text)
    {
        var clean = Clean(text).Trim();
        if (clean.Length > HeadLength)
        {
            var cut = clean.LastIndexOf(' ', HeadLength);
            if (cut <= HeadLength / 2)
            {
                // No space near the end (one long word, or a script without spaces): cut there, but never inside a
                // surrogate pair.
                cut = char.IsHighSurrogate(clean[HeadLength - 1]) ? HeadLength - 1 : HeadLength;
            }
            clean = clean[..cut].TrimEnd() + "…";
        }
        var html = new StringBuilder(clean.Length + 16);
        foreach (var c in clean)
        {
            AppendEscaped(html, c);
        }
        return html.ToString();
    }

    private static void AppendEscaped(StringBuilder html, char c)
    {
        switch (c)
        {
            case '&': html.Append("&amp;"); break;
            case '<': html.Append("&lt;"); break;
            case '>': html.Append("&gt;"); break;
            case '"': html.Append("&quot;"); break;
            case '\'': html.Append("&#39;"); break;
            default: html.Append(c); break;
        }
    }
}
