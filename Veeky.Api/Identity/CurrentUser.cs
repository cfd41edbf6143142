using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Veeky.Data;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary>The caller of the current request and what they may see, read from the database once per request so a
/// change of role or categories applies to the very next request, whatever the token says.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor, VeekyDbContext db)
{
    private AccessScope? _scope;
    private bool _loaded;

    /// <summary>The local user id from the token, or null for an anonymous caller.</summary>
    public Guid? Id =>
        Guid.TryParse(accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    /// <summary>The caller's scope, or null when anonymous, when the user no longer exists or when the token's
    /// sign-in session has ended.</summary>
    public async Task<AccessScope?> FindScopeAsync(CancellationToken ct = default)
    {
        if (_loaded)
        {
            return _scope;
        }
        if (Id is { } id)
        {
            // A token of a session that was signed out (or caught reusing a refresh token) counts as no user at all.
            var session = accessor.HttpContext?.User is { } principal ? SignInSessions.SessionOf(principal) : null;
            var user = await db.Users.AsNoTracking()
                .Where(u => u.Id == id)
                .Select(u => new
                {
                    u.Role,
                    CategoryIds = u.Categories.Select(c => c.CategoryId).ToList(),
                    SessionEnded = session != null && !db.SignInSessions.Any(s => s.Id == session && s.RevokedAt == null),
                })
                .FirstOrDefaultAsync(ct);
            _scope = user is null || user.SessionEnded ? null : new AccessScope(id, user.Role, user.CategoryIds.ToHashSet());
        }
        _loaded = true;
        return _scope;
    }

    /// <summary>The caller's scope on endpoints whose authorization policy has already required one.</summary>
    public async Task<AccessScope> GetScopeAsync(CancellationToken ct = default) =>
        await FindScopeAsync(ct) ?? throw new InvalidOperationException("The endpoint needs an authorization policy that requires a known user.");
}
