using System.Security.Claims;

namespace Veeky.Web.Sessions;

/// <summary>Who is signed in, read from the session cookie's claims, for pages deciding what to show.</summary>
public sealed record SessionUser(Guid Id, string Email, string Role)
{
    public bool IsAdmin => Role == WebSession.AdminRole;
    public bool CanUpload => Role is WebSession.AdminRole or WebSession.EditorRole;

    /// <summary>Whether this user may edit, reindex or delete a video (API.md: owner Editor or Admin).</summary>
    public bool CanManage(Guid uploaderId) => IsAdmin || (Role == WebSession.EditorRole && uploaderId == Id);

    /// <summary>The signed-in user, or null for an anonymous principal.</summary>
    public static SessionUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true
            || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return null;
        }
        return new SessionUser(id, principal.FindFirstValue(ClaimTypes.Name) ?? "", principal.FindFirstValue(ClaimTypes.Role) ?? "");
    }
}
