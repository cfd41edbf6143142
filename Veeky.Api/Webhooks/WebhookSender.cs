using System.Text;
using Veeky.Webhooks;

namespace Veeky.Api.Webhooks;

/// <summary>Sends one delivery: a POST of its body, signed with the time of sending. No redirects are followed: a 3xx is
/// a failed attempt, so a receiver cannot bounce the request elsewhere.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock, Microsoft.Extensions.Options.IOptions<WebhookOptions> options)
{
    public const string ClientName = "webhooks";

    /// <summary>Null when the receiver answered 2xx; otherwise what went wrong, in a sentence for the admin.</summary>
    public async Task<string?> SendAsync(string url, string secret, WebhookDelivery delivery, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Create(secret, clock.GetUtcNow().ToUnixTimeSeconds(), delivery.Body));
        request.Headers.Add("Veeky-Event", delivery.Type);
        request.Headers.Add("Veeky-Delivery", delivery.Id.ToString());
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return $"The receiver did not answer within {options.Value.Timeout.TotalSeconds:0.#} s.";
        }
        catch (HttpRequestException ex)
        {
            return $"Could not reach the receiver: {ex.Message}";
        }
    }
}
