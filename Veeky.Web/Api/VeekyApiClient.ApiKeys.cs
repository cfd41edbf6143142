using Veeky.Contracts;

namespace Veeky.Web.Api;

/// <summary>The signed-in user's API keys (<c>/api/auth/keys</c>).</summary>
public sealed partial class VeekyApiClient
{
    public Task<IReadOnlyList<ApiKeySummary>> GetApiKeysAsync(CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<ApiKeySummary>>("api/auth/keys", ct);

    /// <summary>A new key; its secret is in this answer only.</summary>
    public Task<CreatedApiKey> CreateApiKeyAsync(CreateApiKeyRequest key, CancellationToken ct = default) =>
        SendAsync<CreatedApiKey>(HttpMethod.Post, "api/auth/keys", key, ct);

    public async Task RevokeApiKeyAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await http.DeleteAsync($"api/auth/keys/{id}", ct);
        await EnsureSuccessAsync(response, ct);
    }
}
