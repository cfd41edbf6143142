using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Veeky.Data;
using Veeky.Jobs;
using Veeky.Webhooks;

namespace Veeky.Api.Webhooks;

/// <summary>
/// Sends the outbox's due deliveries, one at a time per host, once the storage is ready; every API host runs one and the
/// lease keeps them from sending the same delivery twice at once. Runs in the background from start to stop (the base
/// class would otherwise hold the host's start until the work is done).
/// </summary>
public sealed class WebhookDeliveryWorker(
    WebhookDeliveryQueue queue,
    WebhookSender sender,
    WebhookSecrets secrets,
    IDbContextFactory<VeekyDbContext> contexts,
    IOptions<WebhookOptions> options,
    StorageReadiness readiness,
    ILogger<WebhookDeliveryWorker> logger)
    : StorageDependentService(readiness, logger), IHostedService
{
    private readonly string _owner = $"{WorkerIdentity.Current.Prefix}/webhooks";
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    protected override Task RunAsync(CancellationToken ct)
    {
        _loop = Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken);
        await StopAsync(cancellationToken);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Drain what is due, then wait a poll interval.
                while (await DeliverNextAsync(ct))
                {
                }
                await Task.Delay(options.Value.PollInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database that went away or is busy: the leases keep every delivery safe; look again later.
                logger.LogWarning(ex, "Could not send webhook deliveries; trying again shortly");
                try
                {
                    await Task.Delay(options.Value.PollInterval * 5, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims and sends one due delivery; false when none is due.</summary>
    internal async Task<bool> DeliverNextAsync(CancellationToken ct)
    {
        var delivery = await queue.TryClaimAsync(_owner, ct);
        if (delivery is null)
        {
            return false;
        }
        Webhook? webhook;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            webhook = await db.Webhooks.AsNoTracking().FirstOrDefaultAsync(w => w.Id == delivery.WebhookId, ct);
        }
        if (webhook is null)
        {
            // Deleted meanwhile; its deliveries went with it (cascade).
            return true;
        }
        var error = await SendAsync(webhook, delivery, ct);
        if (error is null)
        {
            await queue.DeliveredAsync(delivery, _owner, CancellationToken.None);
            return true;
        }
        logger.LogWarning("Webhook delivery {DeliveryId} ({Type}) to {Url} failed (attempt {Attempt}): {Error}",
            delivery.Id, delivery.Type, webhook.Url, delivery.Attempts, error);
        await queue.FailedAsync(delivery, _owner, error, CancellationToken.None);
        return true;
    }

    private async Task<string?> SendAsync(Webhook webhook, WebhookDelivery delivery, CancellationToken ct)
    {
        string secret;
        try
        {
            secret = secrets.Unprotect(webhook.ProtectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "The webhook's secret cannot be decrypted: this host does not have the data protection keys it was saved with.";
        }
        return await sender.SendAsync(webhook.Url, secret, delivery, ct);
    }
}
