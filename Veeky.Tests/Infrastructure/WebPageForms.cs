using System.Net;
using System.Text.RegularExpressions;

namespace Veeky.Tests.Infrastructure;

/// <summary>Reads and posts the server-rendered forms of the web UI the way a browser without script would.</summary>
public static partial class WebPageForms
{
    [GeneratedRegex(""""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)"""")]
    private static partial Regex HiddenInput();

    /// <summary>The hidden fields (handler name, antiforgery token) of the page's forms, by name.</summary>
    public static Dictionary<string, string> HiddenFields(string html) =>
        HiddenInput().Matches(html)
            .GroupBy(m => m.Groups["name"].Value)
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["value"].Value));

    /// <summary>Loads <paramref name="pageUrl"/>, then posts its form with the hidden fields plus <paramref name="fields"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, IDictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(pageUrl);
        var form = HiddenFields(page);
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }
        return await client.PostAsync(pageUrl, new FormUrlEncodedContent(form));
    }

    /// <summary>The session cookie a sign-in answer set (all its chunks), as a <c>Cookie</c> header: what someone who
    /// copied it could send.</summary>
    public static string SessionCookieHeader(HttpResponseMessage signIn) =>
        string.Join("; ", signIn.Headers.GetValues("Set-Cookie")
            .Where(c => c.StartsWith(Veeky.Web.Sessions.WebSession.CookieName, StringComparison.Ordinal))
            .Select(c => c[..c.IndexOf(';', StringComparison.Ordinal)]));

    /// <summary>Posts the sign-out form of a page the client has open, with that page's antiforgery token.</summary>
    public static Task<HttpResponseMessage> SignOutAsync(HttpClient client, string pageHtml) =>
        client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenFields(pageHtml)["__RequestVerificationToken"],
        }));

    /// <summary>Signs in through the <c>/login</c> page's form.</summary>
    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string? returnUrl = null) =>
        PostFormAsync(client, returnUrl is null ? "/login" : $"/login?returnUrl={Uri.EscapeDataString(returnUrl)}",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
}
