namespace Veeky.Web.Api;

/// <summary>Body of <c>PUT /api/users/{id}</c>.</summary>
public sealed record UpdateUserRequest(string Role, IReadOnlyList<Guid> CategoryIds);
