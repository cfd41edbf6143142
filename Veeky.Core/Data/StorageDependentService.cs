using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Veeky.Data;

/// <summary>
/// Start-up work that needs the storage (seeding, the first admin). When the storage is ready at start it runs
/// before the server takes requests, as any hosted service; while <see cref="StorageInitializer"/> still waits for
/// the database it runs as soon as the database answers, so waiting never blocks the host's start.
/// </summary>
public abstract class StorageDependentService(StorageReadiness readiness, ILogger logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _pending = Task.CompletedTask;

    /// <summary>The work, run once.</summary>
    protected abstract Task RunAsync(CancellationToken ct);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (readiness.IsReady)
        {
            await RunAsync(cancellationToken);
        }
        else if (!readiness.HasFailed)
        {
            _pending = Task.Run(() => RunWhenReadyAsync(_stopping.Token), CancellationToken.None);
        }
    }

    private async Task RunWhenReadyAsync(CancellationToken ct)
    {
        try
        {
            if (await readiness.WaitAsync(ct))
            {
                await RunAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Nobody awaits this task: a failure here must be seen in the log. The next start runs it again.
            logger.LogError(ex, "{Work} failed after the storage became ready", GetType().Name);
        }
    }

    /// <summary>Stops work still waiting for the storage; a service that keeps running (a poller) stops its loop too.</summary>
    public virtual async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _pending.WaitAsync(cancellationToken);
    }
}
