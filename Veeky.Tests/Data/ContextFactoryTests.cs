using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Veeky.Data;
using Veeky.Tests.Infrastructure;

namespace Veeky.Tests.Data;

/// <summary>Every unit of work outside a request (queue, stages, background services) and every request's context come
/// from the one context factory <c>AddVeekyData</c> registers, on the configured database.</summary>
public sealed class ContextFactoryTests(PostgresServer postgres)
{
    [Fact]
    public async Task On_SQLite_the_factory_and_a_requests_context_open_the_configured_database()
    {
        using var data = new TempFolder();
        using var host = Build(new() { ["Veeky:DataDirectory"] = data.Path });

        var expected = host.Services.GetRequiredService<DatabaseProvider>().ConnectionString;
        await AssertBothOpenAsync(host, expected);
    }

    [Fact]
    public async Task On_PostgreSQL_the_pooled_factory_and_a_requests_context_open_the_configured_database()
    {
        if (postgres.UnavailableReason is { } reason)
        {
            Requires.Unavailable(reason);
        }
        var provider = await TestDatabase.PostgresAsync(postgres);
        using var host = Build(new() { ["ConnectionStrings:veeky"] = provider.ConnectionString });

        Assert.Equal(DatabaseKind.Postgres, host.Services.GetRequiredService<DatabaseProvider>().Kind);
        await AssertBothOpenAsync(host, provider.ConnectionString);
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        // No default logging: EF would write every command to the test output.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddVeekyData();
        return builder.Build();
    }

    private static async Task AssertBothOpenAsync(IHost host, string connectionString)
    {
        var ct = TestContext.Current.CancellationToken;
        var factory = host.Services.GetRequiredService<IDbContextFactory<VeekyDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            await db.Database.OpenConnectionAsync(ct);
            Assert.Equal(Normalise(connectionString), Normalise(db.Database.GetConnectionString()));
        }
        await using var scope = host.Services.CreateAsyncScope();
        var scoped = scope.ServiceProvider.GetRequiredService<VeekyDbContext>();
        await scoped.Database.OpenConnectionAsync(ct);
        Assert.Equal(Normalise(connectionString), Normalise(scoped.Database.GetConnectionString()));
    }

    /// <summary>Where the string points (a password may be dropped once a connection opened, and Npgsql may reorder
    /// keys): the server, port and database, or the SQLite file.</summary>
    private static string Normalise(string? connectionString)
    {
        var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        string[] where = ["host", "port", "database", "data source"];
        return string.Join(';', builder.Keys.Cast<string>().Where(k => where.Contains(k.ToLowerInvariant()))
            .Select(k => $"{k.ToLowerInvariant()}={builder[k]}").Order());
    }
}
