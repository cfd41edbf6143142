namespace Veeky.Web.Api;

/// <summary>Body of <c>POST /api/users</c>.</summary>
public sealed record CreateUserRequest(string Email, string Password, string Role, IReadOnlyList<Guid> CategoryIds);
