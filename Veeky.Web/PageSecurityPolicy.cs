namespace Veeky.Web;

/// <summary>
/// The Content-Security-Policy of the UI's pages. Everything a page uses comes from this site: the scripts and styles
/// in wwwroot (no inline script, style element or style attribute anywhere), keyframes, thumbnails and the video
/// through the signed media links (this host's <c>/api/videos/…</c>, relayed in the UI-only edition), the live event
/// streams and fragments that <c>fetch</c> and <c>EventSource</c> load. <c>data:</c> images are the inline favicon.
/// </summary>
public static class PageSecurityPolicy
{
    public const string Value =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}
