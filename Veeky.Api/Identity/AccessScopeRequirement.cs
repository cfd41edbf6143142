using Microsoft.AspNetCore.Authorization;

namespace Veeky.Api.Identity;

/// <summary>The caller is a known local user whose role is one of <see cref="Roles"/> (any role when empty).</summary>
public sealed record AccessScopeRequirement(IReadOnlyList<string> Roles) : IAuthorizationRequirement;
