using Veeky.Contracts;

namespace Veeky.Web.Api;

/// <summary>The account's calls: a new password, sign out everywhere, and the admin's reset links.</summary>
public sealed partial class VeekyApiClient
{
    /// <summary>Changes the signed-in user's password; the API ends their other sessions. A refusal (wrong current
    /// password, weak new one) throws <see cref="ApiException"/> with <c>errors</c> per field.</summary>
    public async Task ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/auth/password")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { currentPassword, newPassword }, options: Json),
        };
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>Ends every sign-in session of the signed-in user, this one included.</summary>
    public async Task SignOutEverywhereAsync(CancellationToken ct = default)
    {
        using var response = await http.PostAsync("api/auth/sessions/end-all", content: null, ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>A one-time reset link for a user (Admin).</summary>
    public async Task<PasswordResetLink> CreatePasswordResetAsync(Guid userId, CancellationToken ct = default)
    {
        using var response = await http.PostAsync($"api/users/{userId}/password-reset", content: null, ct);
        return await ReadAsync<PasswordResetLink>(response, ct);
    }

    /// <summary>Sets a new password with a reset link's token; no session needed (the person cannot sign in yet).</summary>
    public async Task ResetPasswordAsync(Guid userId, string token, string newPassword, CancellationToken ct = default)
    {
        using var response = await PostWithoutSessionAsync("api/auth/password-reset", new { userId, token, newPassword }, ct);
        await EnsureSuccessAsync(response, ct);
    }
}
