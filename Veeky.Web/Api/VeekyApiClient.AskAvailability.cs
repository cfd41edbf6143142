using Veeky.Contracts;

namespace Veeky.Web.Api;

/// <summary>Whether the API can answer questions.</summary>
public sealed partial class VeekyApiClient
{
    public Task<AskAvailability> GetAskAvailabilityAsync(CancellationToken ct = default) =>
        GetAsync<AskAvailability>("api/ask/availability", ct);
}
