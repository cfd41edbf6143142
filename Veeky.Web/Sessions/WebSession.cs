namespace Veeky.Web.Sessions;

/// <summary>Names of the browser session: its cookie scheme, the policies pages use, and the tokens its ticket keeps.</summary>
public static class WebSession
{
    /// <summary>The cookie scheme. Named, never the default, so it cannot collide with the API's bearer scheme in the
    /// all-in-one host.</summary>
    public const string Scheme = "Veeky.Web";

    public const string CookieName = ".Veeky.Session";

    /// <summary>The all-in-one host's default scheme: the API's bearer scheme on <c>/api</c>, <see cref="Scheme"/> elsewhere.</summary>
    public const string HostScheme = "Veeky.Web.Host";

    /// <summary>Signed in with any role.</summary>
    public const string SignedInPolicy = "Veeky.Web.SignedIn";

    /// <summary>Editors and admins: may upload.</summary>
    public const string UploaderPolicy = "Veeky.Web.Uploader";

    /// <summary>Admins only.</summary>
    public const string AdminPolicy = "Veeky.Web.Admin";

    public const string CategoryClaim = "veeky:category";

    public const string AccessToken = "access_token";
    public const string RefreshToken = "refresh_token";
    public const string ExpiresAt = "expires_at";

    public const string AdminRole = "Admin";
    public const string EditorRole = "Editor";
    public const string UserRole = "User";

    public static readonly IReadOnlyList<string> Roles = [AdminRole, EditorRole, UserRole];
}
