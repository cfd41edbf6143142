namespace Veeky.Web.Sessions;

/// <summary>
/// Where to go after signing in. Only paths on this site are honoured (the rule of ASP.NET Core's
/// <c>Url.IsLocalUrl</c>): anything else would make the login page an open redirect for phishing.
/// </summary>
public static class ReturnUrls
{
    public const string Home = "/";

    /// <summary>The return URL when it is a local path (<c>~/x</c> written as <c>/x</c>), else <see cref="Home"/>.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        !IsLocal(returnUrl) ? Home
        : returnUrl![0] == '~' ? returnUrl[1..]
        : returnUrl;

    /// <summary>
    /// True for <c>/path</c> and <c>~/path</c>; false for absolute URLs, scheme-relative <c>//host</c>, <c>/\host</c>
    /// (browsers read a backslash as a slash) and anything with control characters.
    /// </summary>
    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Any(char.IsControl))
        {
            return false;
        }
        if (url[0] == '/')
        {
            return url.Length == 1 || (url[1] != '/' && url[1] != '\\');
        }
        if (url.Length > 1 && url[0] == '~' && url[1] == '/')
        {
            return url.Length == 2 || (url[2] != '/' && url[2] != '\\');
        }
        return false;
    }
}
