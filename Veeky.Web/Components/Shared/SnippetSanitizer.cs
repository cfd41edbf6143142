using System.Net;

namespace Veeky.Web.Components.Shared;

/// <summary>
/// Makes a search snippet safe to render as HTML. The API promises escaped text with <c>&lt;mark&gt;</c> highlights,
/// but the page does not trust that promise: everything is escaped here again, and exactly the two highlight tags
/// are given back. Nothing else (no attribute, no other tag) can survive.
/// </summary>
public static class SnippetSanitizer
{
    private const string OpenMark = "<mark>";
    private const string CloseMark = "</mark>";

    public static string ToSafeHtml(string? snippet)
    {
        if (string.IsNullOrEmpty(snippet))
        {
            return "";
        }
        // Decode first: the text arrives escaped once already, and escaping it again would show "&amp;" on screen.
        // The full escape below still covers whatever the decoding produced.
        var text = WebUtility.HtmlDecode(snippet);
        var escaped = WebUtility.HtmlEncode(text);
        return escaped
            .Replace(WebUtility.HtmlEncode(OpenMark), OpenMark, StringComparison.Ordinal)
            .Replace(WebUtility.HtmlEncode(CloseMark), CloseMark, StringComparison.Ordinal);
    }
}
