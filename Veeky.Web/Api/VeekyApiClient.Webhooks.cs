using Veeky.Contracts;

namespace Veeky.Web.Api;

/// <summary>The webhook calls (Admin): <c>/api/webhooks</c>.</summary>
public sealed partial class VeekyApiClient
{
    public Task<IReadOnlyList<WebhookSummary>> GetWebhooksAsync(CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<WebhookSummary>>("api/webhooks", ct);

    /// <summary>Registers a webhook; the answer carries its secret, which the API never shows again.</summary>
    public Task<CreatedWebhook> CreateWebhookAsync(WebhookRequest webhook, CancellationToken ct = default) =>
        SendAsync<CreatedWebhook>(HttpMethod.Post, "api/webhooks", webhook, ct);

    public async Task DeleteWebhookAsync(Guid id, CancellationToken ct = default)
    {
        using var response = await http.DeleteAsync($"api/webhooks/{id}", ct);
        await EnsureSuccessAsync(response, ct);
    }

    public Task<IReadOnlyList<WebhookDeliverySummary>> GetWebhookDeliveriesAsync(Guid id, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<WebhookDeliverySummary>>($"api/webhooks/{id}/deliveries", ct);
}
