using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Veeky.Search;

namespace Veeky.Data;

/// <summary>
/// Brings the database schema and the search index up to date before the host's other services start: hosted
/// services start before Kestrel listens, so no request or job ever meets an old schema. Both steps are idempotent,
/// so every host and replica runs them. A missing PostgreSQL database is created first.
/// <para>A database that does not answer yet (a server still starting, or down) is not a crash: the host starts,
/// <c>/alive</c> answers, <c>/health</c> and the API say what is awaited, and this retries with backoff until it
/// answers (<see cref="StorageReadiness"/>). A database that can never work as configured stops the host with one
/// sentence and exit code 1.</para>
/// </summary>
public sealed class StorageInitializer(
    SchemaMigrator migrator,
    ISearchIndex searchIndex,
    DatabaseProvider provider,
    PostgresDatabaseCreator creator,
    StorageReadiness readiness,
    IHostApplicationLifetime lifetime,
    ILogger<StorageInitializer> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await InitializeAsync(cancellationToken);
            readiness.Ready();
        }
        catch (Exception ex) when (DatabaseOutage.IsUnreachable(ex) && !cancellationToken.IsCancellationRequested)
        {
            Unreachable(ex, attempt: 1);
            _retrying = Task.Run(() => RetryAsync(_stopping.Token), CancellationToken.None);
        }
        catch (StorageMisconfiguredException ex)
        {
            Stop(ex.Message);
        }
    }

    private async Task InitializeAsync(CancellationToken ct)
    {
        if (provider.Kind == DatabaseKind.Postgres)
        {
            await creator.EnsureExistsAsync(provider.ConnectionString, ct);
        }
        await migrator.MigrateAsync(ct);
        await searchIndex.InitializeAsync(ct);
    }

    private async Task RetryAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Task.Delay(DatabaseOutage.Delay(attempt), ct);
                await InitializeAsync(ct);
                readiness.Ready();
                logger.LogInformation("The {Database} answers now; Veeky is ready.", DatabaseOutage.Describe(provider));
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (DatabaseOutage.IsUnreachable(ex))
            {
                Unreachable(ex, attempt + 1);
            }
            catch (StorageMisconfiguredException ex)
            {
                Stop(ex.Message);
                return;
            }
            catch (Exception ex)
            {
                // What the first attempt would have thrown at start: the host cannot work on this storage.
                logger.LogCritical(ex, "Initialising the storage failed");
                Stop($"Initialising the storage failed: {DatabaseOutage.Reason(ex)}.");
                return;
            }
        }
    }

    /// <summary>One line per attempt, without a stack trace: the cause is the server, not Veeky's code.</summary>
    private void Unreachable(Exception error, int attempt)
    {
        var delay = DatabaseOutage.Delay(attempt);
        var problem = $"The {DatabaseOutage.Describe(provider)} does not answer ({DatabaseOutage.Reason(error)}).";
        readiness.Waiting($"{problem} Veeky waits for it and retries.");
        logger.LogWarning("{Problem} Retrying in {Delay:0.#} s; Veeky serves requests once it answers.", problem, delay.TotalSeconds);
    }

    /// <summary>The documented way for a hosted service to end the host with a failure: exit code, then stop. The stop
    /// waits until the host has started: stopping during start cancels the web server's start, which the host then
    /// reports with a stack trace of its own.</summary>
    private void Stop(string sentence)
    {
        logger.LogCritical("{Problem}", sentence);
        readiness.Failed(sentence);
        Environment.ExitCode = 1;
        lifetime.ApplicationStarted.Register(lifetime.StopApplication);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying.WaitAsync(cancellationToken);
    }
}
