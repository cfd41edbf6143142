using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Veeky.Jobs;
using Veeky.Tests.Infrastructure;
using Veeky.Tests.Pipeline;

namespace Veeky.Tests.Data;

/// <summary>
/// What an operator meets with PostgreSQL: a fresh server without Veeky's database, a role that may not create it,
/// a server that is not up yet when Veeky starts, and one that goes away while Veeky runs.
/// </summary>
public sealed class PostgresStartupTests(PostgresServer postgres)
{
    /// <summary>Far above what a start or a retry takes; only a hang reaches it.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_host_pointed_at_a_server_without_the_database_creates_it_and_starts()
    {
        SkipWithoutPostgres();
        var database = $"veeky_fresh_{Guid.NewGuid():N}";
        await using var factory = new ApiFactory(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:veeky"] = postgres.ConnectionString(database),
        });
        using var client = factory.CreateClient();

        using var health = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(await postgres.DatabaseExistsAsync(database));
        using var login = await client.PostAsJsonAsync("/api/auth/login",
            new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_role_without_CREATEDB_stops_the_host_with_one_sentence_naming_the_database_server_and_privilege()
    {
        SkipWithoutPostgres();
        var role = $"reader_{Guid.NewGuid():N}"[..20];
        await postgres.CreateRoleAsync(role, mayCreateDatabases: false);
        var database = $"veeky_missing_{Guid.NewGuid():N}";
        using var data = new TempFolder("veeky-no-createdb");

        // The real API host, started as run.sh starts a host: its exit code and console are what an operator sees.
        var (exitCode, output) = await RunApiHostAsync(data.Path, postgres.ConnectionString(database, role));

        Assert.NotEqual(0, exitCode);
        var sentence = Assert.Single(output.Split('\n'), line => line.Contains("CREATEDB", StringComparison.Ordinal));
        Assert.Contains($"\"{database}\"", sentence, StringComparison.Ordinal);
        Assert.Contains(postgres.Address, sentence, StringComparison.Ordinal);
        Assert.Contains($"\"{role}\"", sentence, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Split('\n'), line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.False(await postgres.DatabaseExistsAsync(database));
    }

    [Fact]
    public async Task A_host_started_before_its_database_server_waits_with_one_line_per_retry_and_serves_once_it_answers()
    {
        SkipWithoutPostgres();
        await using var server = await PostgresServer.StartOwnAsync();
        await server.StopAsync();
        var sink = new ApiLogSink();
        await using var factory = new LoggingApiFactory(sink, new Dictionary<string, string?>
        {
            ["ConnectionStrings:veeky"] = server.ConnectionString("veeky"),
        });
        using var client = factory.CreateClient();

        // Waiting: alive, but not ready, and /health and the API say for what.
        using (var alive = await client.GetAsync("/alive", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }
        var (status, database) = await DatabaseHealthAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"\"veeky\" on {server.Address} does not answer", database, StringComparison.Ordinal);
        using (var categories = await client.GetAsync("/api/categories", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, categories.StatusCode);
            Assert.Contains(server.Address, await categories.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        Assert.Contains(sink.Messages, m => m.Contains(server.Address, StringComparison.Ordinal) && m.Contains("Retrying in", StringComparison.Ordinal));
        Assert.Empty(sink.Exceptions);

        await server.StartAsync();

        await WaitUntilAsync(async () => (await DatabaseHealthAsync(client)).Status == HttpStatusCode.OK);
        Assert.True(await server.DatabaseExistsAsync("veeky"));
        // The start-up work that needs the database (the first admin among it) runs as soon as it answers.
        await WaitUntilAsync(async () =>
        {
            using var login = await client.PostAsJsonAsync("/api/auth/login",
                new { email = ApiFactory.AdminEmail, password = ApiFactory.AdminPassword }, TestContext.Current.CancellationToken);
            return login.StatusCode == HttpStatusCode.OK;
        });
        Assert.Empty(sink.Exceptions);
    }

    [Fact]
    public async Task A_database_server_stopped_while_running_is_named_by_health_and_the_worker_pauses_with_one_line_and_resumes()
    {
        SkipWithoutPostgres();
        await using var server = await PostgresServer.StartOwnAsync();
        var connectionString = server.ConnectionString("veeky");
        await using var api = new ApiFactory(settings: new Dictionary<string, string?> { ["ConnectionStrings:veeky"] = connectionString });
        using var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await DatabaseHealthAsync(client)).Status);
        var workerLog = new ApiLogSink();
        await using var indexer = await IndexerHost.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:veeky"] = connectionString,
        }, services: services => services.AddSingleton<ILoggerProvider>(workerLog));
        await indexer.StartAsync();

        await server.StopAsync();

        var (status, database) = await DatabaseHealthAsync(client);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"\"veeky\" on {server.Address} does not answer", database, StringComparison.Ordinal);
        // The indexer host's own /health says so too.
        var indexerHealth = await indexer.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Unhealthy, indexerHealth.Entries["database"].Status);
        Assert.Contains($"\"veeky\" on {server.Address} does not answer", indexerHealth.Entries["database"].Description, StringComparison.Ordinal);
        await WaitUntilAsync(() => Task.FromResult(workerLog.Messages.Any(IsPause)));
        // Several polls and backoff steps later (the worker polls every 200 ms here), still the one line.
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken);
        Assert.Single(workerLog.Messages, IsPause);
        Assert.Empty(workerLog.Exceptions);

        await server.StartAsync();

        await WaitUntilAsync(async () => (await DatabaseHealthAsync(client)).Status == HttpStatusCode.OK);
        // The worker claims again: a job queued now is taken (a text file, so it fails at Probe, which is enough).
        using var folder = new TempFolder("veeky-outage");
        await File.WriteAllTextAsync(folder.File("not-a-video.mp4"), "text", TestContext.Current.CancellationToken);
        var videoId = await indexer.AddVideoAsync(folder.File("not-a-video.mp4"));
        await WaitUntilAsync(async () =>
        {
            await using var db = indexer.OpenDb();
            return await db.Jobs.AnyAsync(j => j.VideoId == videoId && j.Attempts > 0);
        });
        Assert.Single(workerLog.Messages, IsPause);

        static bool IsPause(string message) => message.Contains("indexing pauses", StringComparison.Ordinal);
    }

    private void SkipWithoutPostgres()
    {
        if (postgres.UnavailableReason is { } reason)
        {
            Requires.Unavailable(reason);
        }
    }

    private static async Task<(HttpStatusCode Status, string Database)> DatabaseHealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var database = body.GetProperty("checks").GetProperty("database");
        return (response.StatusCode, database.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Runs the built Veeky.Api host as its own process until it exits; its exit code and console output.</summary>
    private static async Task<(int ExitCode, string Output)> RunApiHostAsync(string dataDirectory, string connectionString)
    {
        var root = StartedHost.RepositoryRoot;
        // bin/{Configuration}/net10.0/ of the tests: the host was built beside them, in the same configuration.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var host = Path.Combine(root, "Veeky.Api", "bin", configuration, "net10.0", "Veeky.Api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(host)!,
            Environment =
            {
                ["ConnectionStrings__veeky"] = connectionString,
                ["Veeky__DataDirectory"] = dataDirectory,
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["DOTNET_ENVIRONMENT"] = "Production",
                ["VEEKY_TEST_STORAGE"] = null,
            },
        };
        start.ArgumentList.Add(host);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The host did not stop: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
