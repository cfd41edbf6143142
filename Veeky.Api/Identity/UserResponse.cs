using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary>A user as the API shows it.</summary>
public sealed record UserResponse(Guid Id, string Email, string Role, IReadOnlyList<Guid> CategoryIds)
{
    public static UserResponse From(VeekyUser user) =>
        new(user.Id, user.Email ?? "", user.Role, user.Categories.Select(c => c.CategoryId).Order().ToList());
}
