using Veeky.Contracts;

namespace Veeky.Web.Api;

/// <summary>The admin's view of the running instance.</summary>
public sealed partial class VeekyApiClient
{
    public Task<AdminStatus> GetAdminStatusAsync(CancellationToken ct = default) => GetAsync<AdminStatus>("api/admin/status", ct);
}
