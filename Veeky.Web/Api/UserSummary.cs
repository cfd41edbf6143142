namespace Veeky.Web.Api;

/// <summary>A user as <c>/api/users</c> lists it.</summary>
public sealed record UserSummary(Guid Id, string Email, string Role, IReadOnlyList<Guid> CategoryIds);
