using Microsoft.Extensions.Options;
using Veeky.Net;

namespace Veeky.Api.Webhooks;

/// <summary>Registers webhooks: options, secrets, the delivery client and the delivery worker.</summary>
public static class WebhookServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddVeekyWebhooks(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section);
        builder.Services.AddSingleton<WebhookSecrets>();
        builder.Services.AddSingleton<WebhookDeliveryQueue>();
        builder.Services.AddSingleton<WebhookSender>();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is an evaluation API, the only way to drop the handler every client gets.
        builder.Services.AddHttpClient(WebhookSender.ClientName)
            // The outbox is the retry policy; a shared circuit breaker would also let one broken receiver stop the others.
            .RemoveAllResilienceHandlers()
            .ConfigurePrimaryHttpMessageHandler(services => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // Names are resolved again on every connection (DNS rebinding); pooled connections are short-lived.
                PooledConnectionLifetime = TimeSpan.FromMinutes(1),
                ConnectCallback = services.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks
                    ? null
                    : PublicAddressRule.ConnectAsync,
            });
#pragma warning restore EXTEXP0001
        builder.Services.AddHostedService<WebhookDeliveryWorker>();
        return builder;
    }
}
