using Veeky.Contracts;
using Veeky.Identity;

namespace Veeky.Api.Identity;

/// <summary>How users and API keys go on the wire.</summary>
public static class UserAnswers
{
    extension(UserSummary)
    {
        public static UserSummary From(VeekyUser user) =>
            new(user.Id, user.Email ?? "", user.Role, user.Categories.Select(c => c.CategoryId).Order().ToList());
    }

    extension(ApiKeySummary)
    {
        public static ApiKeySummary From(ApiKey key) =>
            new(key.Id, key.UserId, key.Name, key.Prefix, key.CreatedAt, key.ExpiresAt, key.LastUsedAt);
    }
}
